import datetime as dt
import io
from decimal import Decimal

import openpyxl

from trytond.model.exceptions import AccessError
from trytond.model.modelview import AccessButtonError
from trytond.modules.aftersales_warranty.tests.tools import (
    ActivatedTestCase, OverdueTestMixin, acting_as, create_party, create_user,
    new_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from ..exceptions import AuditError


def create_team(company):
    "Return the team of an audit: a member of each role (A2)"
    Employee = Pool().get('company.employee')
    roles = ['leader', 'sales_planning', 'finance', 'ad_hoc']
    employees = Employee.create([{
                'company': company.id,
                'party': create_party(f'Auditor {role}').id,
                } for role in roles])
    return [('create', [{'employee': e.id, 'role': r}
                for e, r in zip(employees, roles)])]


def create_plan(company, office, notice='announced', completion=None,
        report_due=None):
    "Return a draft plan of office completed on completion"
    Plan = Pool().get('aftersales.audit.plan')
    today = Pool().get('ir.date').today()
    completion = completion or today + dt.timedelta(days=10)
    plan, = Plan.create([{
                'company': company.id,
                'office': office.id,
                'notice': notice,
                'content': "Accounts, stock and returns of the year",
                'method': "Documents and a stock count",
                'start_date': completion - dt.timedelta(days=5),
                'completion_date': completion,
                'report_due': report_due or completion + dt.timedelta(days=7),
                'members': create_team(company),
                'costs': [('create', [{
                                'description': "Travel",
                                'budget': Decimal('3000'),
                                }])],
                }])
    return plan


def score_all(plan, score):
    Score = Pool().get('aftersales.audit.score')
    Score.write(list(plan.scores), {'score': Decimal(score)})


def start_plans(plans):
    "Submit, approve and start plans: their audits are in progress"
    Plan = Pool().get('aftersales.audit.plan')
    Plan.submit(plans)
    Plan.approve(plans)
    Plan.start(plans)


def report_plan(plan, summary, score):
    "Report the audit of plan with summary, each criterion scored score"
    Plan = Pool().get('aftersales.audit.plan')
    plan.report_summary = summary
    plan.save()
    score_all(plan, score)
    Plan.report([plan])


class AuditPlanTestCase(OverdueTestMixin, ActivatedTestCase):
    "Test the audit plans, their reports, rectification and scores"
    module = 'aftersales_audit'

    def setUp(self):
        super().setUp()
        self.today = dt.date.today()

    def office(self):
        return create_party("North Branch", aftersales_role='branch_office')

    @with_transaction()
    def test_a2_team_led_by_customer_service(self):
        "A2: a plan is submitted only with its leader and required roles"
        Plan = Pool().get('aftersales.audit.plan')
        Member = Pool().get('aftersales.audit.plan.member')
        with new_company() as company:
            plan = create_plan(company, self.office())
            finance, = [m for m in plan.members if m.role == 'finance']
            Member.delete([finance])
            with self.assertRaisesRegex(AuditError, 'Finance'):
                Plan.submit([plan])
            leader, = [m for m in plan.members if m.role == 'leader']
            Member.write([leader], {'role': 'ad_hoc'})
            with self.assertRaisesRegex(AuditError, 'one team leader'):
                Plan.submit([plan])
            self.assertEqual(plan.state, 'draft')

    @with_transaction()
    def test_a3_plan_refused_by_vice_president(self):
        "A3: the vice-president alone approves; a refused plan cannot start"
        Plan = Pool().get('aftersales.audit.plan')
        with new_company() as company:
            service = create_user(
                'service', 'group_customer_service', company)
            vp = create_user('vp', 'group_vice_president', company)
            auditor = create_user('auditor', 'group_auditor', company)
            plan = create_plan(company, self.office())
        with acting_as(service, company):
            Plan.submit([Plan(plan.id)])
            with self.assertRaises(AccessButtonError):
                Plan.approve([Plan(plan.id)])
        with acting_as(auditor, company):
            with self.assertRaises(AccessButtonError):
                Plan.approve([Plan(plan.id)])
        with acting_as(vp, company):
            Plan.refuse([Plan(plan.id)])
        with acting_as(service, company):
            with self.assertRaises(AccessButtonError):
                Plan.start([Plan(plan.id)])
        plan = Plan(plan.id)
        self.assertEqual(plan.state, 'refused')
        self.assertFalse(plan.scores)
        self.assertIsNone(plan.approved_by)

        copy, = Plan.copy([plan])
        self.assertEqual(copy.state, 'draft')
        self.assertNotEqual(copy.number, plan.number)
        self.assertEqual(len(copy.members), len(plan.members))
        self.assertEqual(copy.budget_total, plan.budget_total)

    @with_transaction()
    def test_a3_plan_states_costs(self):
        "A3: a plan without budgeted costs is not submitted"
        pool = Pool()
        Plan = pool.get('aftersales.audit.plan')
        Cost = pool.get('aftersales.audit.plan.cost')
        with new_company() as company:
            plan = create_plan(company, self.office())
            self.assertEqual(plan.budget_total, Decimal('3000'))
            Cost.delete(list(plan.costs))
            with self.assertRaisesRegex(AuditError, 'budget its costs'):
                Plan.submit([plan])

    @with_transaction()
    def test_a6_report_late_flagged(self):
        "A6: a report handed in after its due date is flagged late"
        Plan = Pool().get('aftersales.audit.plan')
        with new_company() as company:
            vp = create_user('vp', 'group_vice_president', company)
            office = self.office()
            late = create_plan(company, office,
                completion=self.today - dt.timedelta(days=10),
                report_due=self.today - dt.timedelta(days=3))
            on_time = create_plan(company, office)
            Plan.submit([late, on_time])
            with acting_as(vp, company):
                Plan.approve([Plan(late.id), Plan(on_time.id)])
            self.assert_overdue(overdue=[late], on_time=[on_time])
            Plan.start([late])
            with self.assertRaisesRegex(AuditError, 'written report'):
                Plan.report([late])
            late.report_summary = "The stock count agrees."
            late.save()
            with self.assertRaisesRegex(AuditError, 'not scored'):
                Plan.report([late])
            score_all(late, 80)
            Plan.report([late])

            self.assertEqual(late.state, 'reported')
            self.assertEqual(late.report_date, self.today)
            self.assertTrue(late.reported_late)
            self.assert_overdue(overdue=[late], on_time=[on_time])

    @with_transaction()
    def test_a4_surprise_audit_invisible_until_started(self):
        "A4: the office's users see a surprise audit once it has started"
        Plan = Pool().get('aftersales.audit.plan')
        with new_company() as company:
            office = self.office()
            other = create_party(
                "South Branch", aftersales_role='branch_office')
            manager = create_user(
                'manager', 'group_office_manager', company,
                aftersales_party=office)
            announced = create_plan(company, office)
            surprise = create_plan(company, office, notice='surprise')
            elsewhere = create_plan(company, other)
            plans = [announced, surprise, elsewhere]
            Plan.submit(plans)
            Plan.approve(plans)

        with acting_as(manager, company):
            self.assertEqual(Plan.search([]), [announced])
            with self.assertRaises(AccessError):
                Plan.read([surprise.id], ['content'])
            self.assertEqual(
                Plan.search([('notice', '=', 'surprise')]), [])
        Plan.start([surprise])
        with acting_as(manager, company):
            self.assertEqual(
                sorted(Plan.search([])), sorted([announced, surprise]))
            with self.assertRaises(AccessError):
                Plan.write([Plan(surprise.id)], {'content': "Nothing"})

    @with_transaction()
    def test_a1_office_cannot_refuse_its_audit(self):
        """A1: the audited office sees its audit and its findings but can
        neither cancel, change nor delete them"""
        pool = Pool()
        Plan = pool.get('aftersales.audit.plan')
        Finding = pool.get('aftersales.audit.finding')
        with new_company() as company:
            office = self.office()
            manager = create_user(
                'manager', 'group_office_manager', company,
                aftersales_party=office)
            plan = create_plan(company, office)
            start_plans([plan])
            finding, = Finding.create([{
                        'plan': plan.id, 'description': "Stock short.",
                        }])
        with acting_as(manager, company):
            plan, = Plan.search([])
            self.assertEqual(Finding.search([]), [finding])
            with self.assertRaises(AccessButtonError):
                Plan.cancel([plan])
            with self.assertRaises(AccessError):
                Plan.write([plan], {'completion_date': self.today})
            with self.assertRaises(AccessError):
                Plan.delete([plan])
            with self.assertRaises(AccessError):
                Finding.write([Finding(finding.id)], {'severity': 'minor'})
        self.assertEqual(Plan(plan.id).state, 'in_progress')

    @with_transaction()
    def test_a5_cooperation_scored_for_office_manager(self):
        """A5: the office manager's post is scored on making the staff
        cooperate, which weighs in the post's score"""
        pool = Pool()
        Plan = pool.get('aftersales.audit.plan')
        Score = pool.get('aftersales.audit.score')
        PostScore = pool.get('aftersales.audit.post_score')
        ModelData = pool.get('ir.model.data')
        cooperation = ModelData.get_id(
            'aftersales_audit', 'criterion_manager_cooperation')
        manager_post = ModelData.get_id('aftersales_audit', 'post_manager')
        with new_company() as company:
            office = self.office()
            plan = create_plan(company, office)
            start_plans([plan])
            for score in plan.scores:
                score.score = Decimal(
                    0 if score.criterion.id == cooperation else 100)
            Score.save(plan.scores)
            plan.report_summary = "The staff did not cooperate."
            plan.save()
            Plan.report([plan])

            score, = PostScore.search([
                    ('office', '=', office.id), ('post', '=', manager_post)])
            # cooperation weighs 20 of the manager's 100
            self.assertEqual(score.score, Decimal('80'))

    @with_transaction()
    def test_a7_auditor_refused_rectification_order(self):
        "A7: the line department alone orders rectification, once forwarded"
        pool = Pool()
        Plan = pool.get('aftersales.audit.plan')
        Finding = pool.get('aftersales.audit.finding')
        Rectification = pool.get('aftersales.audit.rectification')
        Employee = pool.get('company.employee')
        with new_company() as company:
            office = self.office()
            auditor = create_user('auditor', 'group_auditor', company)
            vp = create_user('vp', 'group_vice_president', company)
            line = create_user(
                'line', 'aftersales_audit.group_line_manager', company)
            manager = create_user(
                'manager', 'group_office_manager', company,
                aftersales_party=office)
            owner, = Employee.create([{
                        'company': company.id,
                        'party': create_party("Office Accountant").id,
                        }])
            plan = create_plan(company, office)
            start_plans([plan])
        with acting_as(auditor, company):
            finding, = Finding.create([{
                        'plan': plan.id,
                        'description': "Two return vouchers are missing.",
                        'severity': 'major',
                        }])
            Plan.write([Plan(plan.id)], {'report_summary': "See findings."})
            score_all(Plan(plan.id), 70)
            with self.assertRaises(AccessButtonError):
                Finding.forward([finding])
            Plan.report([Plan(plan.id)])
            with self.assertRaisesRegex(AccessError, 'no longer change'):
                Finding.write([finding], {'severity': 'minor'})
            with self.assertRaisesRegex(AccessError, 'no longer change'):
                Finding.delete([finding])
            order = {
                'company': company.id,
                'finding': finding.id,
                'instructions': "File the vouchers.",
                'owner': owner.id,
                'due_date': self.today + dt.timedelta(days=14),
                }
            with self.assertRaises(AccessError):
                Rectification.create([order])
        with acting_as(line, company):
            with self.assertRaisesRegex(AuditError, 'forwarded'):
                Rectification.create([order])
        with acting_as(vp, company):
            Finding.forward([Finding(finding.id)])
        with acting_as(auditor, company):
            with self.assertRaises(AccessError):
                Rectification.create([order])
        with acting_as(line, company):
            rectification, = Rectification.create([order])
        self.assertEqual(Finding(finding.id).forwarded_by.id, vp.id)

        with acting_as(manager, company):
            rectification = Rectification(rectification.id)
            self.assertEqual(rectification.office, office)
            with self.assertRaises(AccessError):
                Rectification.write([rectification], {
                        'due_date': self.today + dt.timedelta(days=60)})
            with self.assertRaisesRegex(AuditError, 'note of what'):
                Rectification.do([rectification])
            Rectification.write([rectification], {
                    'done_note': "Vouchers found and filed."})
            Rectification.do([rectification])
            with self.assertRaises(AccessButtonError):
                Rectification.close([rectification])
        with acting_as(line, company):
            Rectification.close([Rectification(rectification.id)])
        rectification = Rectification(rectification.id)
        self.assertEqual(rectification.state, 'closed')
        self.assertEqual(rectification.done_date, self.today)
        self.assertEqual(rectification.closed_by.id, line.id)

    @with_transaction()
    def test_a7_rectification_overdue(self):
        "A7: an open rectification order past its due date is overdue"
        pool = Pool()
        Finding = pool.get('aftersales.audit.finding')
        Rectification = pool.get('aftersales.audit.rectification')
        with new_company() as company:
            plan = create_plan(company, self.office())
            start_plans([plan])
            finding, = Finding.create([{
                        'plan': plan.id, 'description': "Stock short.",
                        }])
            report_plan(plan, "Stock short.", 60)
            Finding.forward([finding])
            owner = plan.members[0].employee
            late, due = Rectification.create([{
                        'company': company.id, 'finding': finding.id,
                        'instructions': "Count again.", 'owner': owner.id,
                        'date': self.today - dt.timedelta(days=20),
                        'due_date': self.today - dt.timedelta(days=1 + n),
                        } for n in [0, -30]])
            self.assert_overdue(overdue=[late], on_time=[due])

    def score_two_months(self, company, office):
        """Report the audits of office in March and June: the office
        manager's accounts criterion scores 50 then 90, the others 80"""
        pool = Pool()
        Plan = pool.get('aftersales.audit.plan')
        Score = pool.get('aftersales.audit.score')
        ModelData = pool.get('ir.model.data')
        months = [dt.date(2026, 3, 20), dt.date(2026, 6, 10)]
        plans = [create_plan(company, office, completion=d) for d in months]
        start_plans(plans)
        accounts = ModelData.get_id(
            'aftersales_audit', 'criterion_manager_accounts')
        for plan, score_accounts in zip(plans, [50, 90]):
            for score in plan.scores:
                score.score = Decimal(score_accounts
                    if score.criterion.id == accounts else 80)
            Score.save(plan.scores)
            plan.report_summary = "Scored."
        Plan.save(plans)
        Plan.report(plans)

    @with_transaction()
    def test_a8_scores_compared_across_two_periods(self):
        "A8: an office's post scores per month beside the previous month's"
        pool = Pool()
        PostScore = pool.get('aftersales.audit.post_score')
        ModelData = pool.get('ir.model.data')
        manager_post = ModelData.get_id('aftersales_audit', 'post_manager')
        with new_company() as company:
            office = self.office()
            self.score_two_months(company, office)

            scores = PostScore.search([
                    ('office', '=', office.id),
                    ('post', '=', manager_post),
                    ], order=[('month', 'ASC')])
            self.assertEqual(
                [s.month for s in scores],
                [dt.date(2026, 3, 1), dt.date(2026, 6, 1)])
            # accounts weigh 40 of 100 for the office manager
            self.assertEqual(
                [s.score for s in scores], [Decimal('68'), Decimal('84')])
            self.assertEqual(
                [s.previous for s in scores], [None, Decimal('68')])
            self.assertEqual(scores[1].change, Decimal('16'))
            self.assertEqual(len(PostScore.search([
                            ('office', '=', office.id)])), 8)

    @with_transaction()
    def test_a8_scores_in_workbook(self):
        "A8: the workbook's scores sheet holds the months' post scores"
        pool = Pool()
        IrModel = pool.get('ir.model')
        PostScore = pool.get('aftersales.audit.post_score')
        Workbook = pool.get('aftersales.report.workbook')
        with new_company() as company:
            office = self.office()
            self.score_two_months(company, office)
            workbook = Workbook.generate(
                company, dt.date(2026, 6, 1), dt.date(2026, 6, 30))

            book = openpyxl.load_workbook(io.BytesIO(workbook.file))
            sheet = book[IrModel.get_name('aftersales.audit.post_score')]
            self.assertEqual(sheet.freeze_panes, 'A2')
            rows = sorted(sheet.iter_rows(min_row=2, values_only=True))
            expected = sorted(
                (s.office.name, s.post.name,
                    dt.datetime.combine(s.month, dt.time()), s.audits,
                    float(s.score), float(s.previous))
                for s in PostScore.search([
                        ('month', '=', dt.date(2026, 6, 1))]))
            self.assertEqual(len(rows), 4)
            self.assertEqual(rows, expected)
            self.assertEqual(len(sheet._charts), 1)

    @with_transaction()
    def test_a6_audit_report_prints(self):
        "A6: the written report prints with its findings"
        pool = Pool()
        Finding = pool.get('aftersales.audit.finding')
        Report = pool.get('aftersales.audit.plan.report', type='report')
        with new_company() as company:
            plan = create_plan(company, self.office())
            start_plans([plan])
            Finding.create([{
                        'plan': plan.id,
                        'description': "Two return vouchers are missing.",
                        'severity': 'major',
                        }])
            report_plan(plan, "The accounts agree with the books.", 75)
            extension, content, _, name = Report.execute([plan.id], {})
            self.assertIn(extension, {'odt', 'pdf'})
            self.assertTrue(content)
            self.assertIn(plan.number, name)
