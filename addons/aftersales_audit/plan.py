"Audit plans of the offices: team, costs, approval, the audit and its report"
from decimal import Decimal

from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.dates import within_days
from trytond.modules.aftersales_warranty.document import (
    DatedDocumentMixin, owner_field, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.overdue import (
    OverdueMixin, overdue_field)
from trytond.modules.aftersales_warranty.party import OFFICE_ROLES
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.aftersales_warranty.report import AftersalesReport
from trytond.modules.aftersales_warranty.stamp import (
    reset_stamps, stamp, step_stamps)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import AuditError

_draft = editable_in('draft')
_running = editable_in('in_progress')
# The roles that take part in an audit (A2): at submission the team has
# one of each but ad-hoc members
REQUIRED_ROLES = ['leader', 'sales_planning', 'finance']


class Plan(OverdueMixin, DatedDocumentMixin, NumberedMixin, Workflow,
        ModelSQL, ModelView):
    """Audit Plan

    The audit of an office's operations and accounts (A1): what, how, by
    when and at what cost, approved by the marketing vice-president before
    it starts (A3), then run by the team and closed by its written report,
    due to the vice-president by a deadline (A6).
    """
    __string__ = "Audit Plan"
    __name__ = 'aftersales.audit.plan'
    _number_sequence = 'audit_plan_sequence'
    _muted_states = ['refused', 'cancelled', 'closed']
    _copy_reset = ['approved_by', 'approved_at', 'report_date',
        'reported_late', 'report_summary', 'findings', 'scores']

    date = fields.Date("Date", required=True, states=_draft)
    office = party_field(
        "Office", required=True, states=_draft,
        domain=[('aftersales_role', 'in', OFFICE_ROLES)],
        help="The branch office or logistics partner audited.")
    kind = fields.Selection([
            ('periodic', "Periodic"),
            ('ad_hoc', "Ad Hoc"),
            ], "Kind", required=True, states=_draft)
    kind_string = kind.translated('kind')
    notice = fields.Selection([
            ('announced', "Announced"),
            ('surprise', "Surprise"),
            ], "Notice", required=True, states=_draft,
        help="The users of the office audited by surprise see the plan only "
        "once the audit has started.")
    notice_string = notice.translated('notice')
    content = fields.Text(
        "Content", required=True, states=_draft,
        help="The operations and accounts the audit checks.")
    method = fields.Text(
        "Method", required=True, states=_draft,
        help="How the team audits: documents, stock counts, interviews.")
    start_date = fields.Date("Start Date", required=True, states=_draft)
    completion_date = fields.Date(
        "Completion Date", required=True, states=_draft,
        domain=[('completion_date', '>=', Eval('start_date', None))])
    report_due = fields.Date(
        "Report Due", required=True, states=_draft,
        domain=[('report_due', '>=', Eval('completion_date', None))],
        help="The date by which the written report reaches the "
        "vice-president.")
    members = fields.One2Many(
        'aftersales.audit.plan.member', 'plan', "Team", states=_draft,
        help="Customer service leads; sales planning, finance and ad-hoc "
        "members take part.")
    costs = fields.One2Many(
        'aftersales.audit.plan.cost', 'plan', "Costs",
        states=editable_in('draft', 'in_progress'),
        help="Budgeted with the plan, actual as the audit runs; borne by "
        "customer service, never by the office audited.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    budget_total = fields.Function(fields.Numeric(
            "Budget", digits='currency'), 'get_totals')
    actual_total = fields.Function(fields.Numeric(
            "Actual Cost", digits='currency'), 'get_totals')
    findings = fields.One2Many(
        'aftersales.audit.finding', 'plan', "Findings", states=_running)
    scores = fields.One2Many(
        'aftersales.audit.score', 'plan', "Scores", states=_running)
    report_summary = fields.Text(
        "Report", states=_running,
        help="The team's written report to the vice-president.")
    report_date = fields.Date("Reported On", readonly=True)
    reported_late = fields.Boolean("Reported Late", readonly=True)
    approved_by, approved_at = step_stamps("Approved")
    overdue = overdue_field(
        "The report was not handed in by its due date.",
        string="Report Overdue")
    state = state_field([
            ('draft', "Draft"),
            ('submitted', "Submitted"),
            ('approved', "Approved"),
            ('refused', "Refused"),
            ('in_progress', "In Progress"),
            ('reported', "Reported"),
            ('closed', "Closed"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.office, Index.Equality())),
                Index(t, (t.report_due, Index.Range()),
                    where=t.state.in_(['approved', 'in_progress'])),
                })
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'approved'),
            ('submitted', 'refused'),
            ('refused', 'draft'),
            ('approved', 'in_progress'),
            ('in_progress', 'reported'),
            ('reported', 'closed'),
            ('draft', 'cancelled'),
            ('submitted', 'cancelled'),
            ('approved', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update(state_buttons(
                submit=['draft'],
                approve=['submitted'],
                refuse=['submitted'],
                start=['approved'],
                report=['in_progress'],
                close=['reported'],
                cancel=['draft', 'submitted', 'approved'],
                draft=['refused', 'cancelled'],
                ))

    @classmethod
    def default_kind(cls):
        return 'periodic'

    @classmethod
    def default_notice(cls):
        return 'announced'

    @classmethod
    def default_reported_late(cls):
        return False

    @fields.depends('company', 'completion_date')
    def on_change_with_report_due(self):
        "The report is due the configured days after completion (A6)"
        Configuration = Pool().get('aftersales.configuration')
        if self.company and self.completion_date:
            days = Configuration.company_value('report_days', self.company)
            return within_days(self.completion_date, days)

    def get_currency(self, name):
        return self.company.currency.id

    @classmethod
    def get_totals(cls, plans, names):
        "The budgeted and actual costs of the plans, summed in SQL"
        Cost = Pool().get('aftersales.audit.plan.cost')
        cost = Cost.__table__()
        cursor = Transaction().connection.cursor()
        totals = {n: dict.fromkeys((p.id for p in plans), 0) for n in names}
        columns = {'budget_total': cost.budget, 'actual_total': cost.actual}
        for sub_ids in grouped_slice(
                [p.id for p in plans], backend.MAX_QUERY_PARAMS):
            cursor.execute(*cost.select(
                    cost.plan,
                    *(Sum(Coalesce(columns[n], 0)) for n in names),
                    where=fields.SQL_OPERATORS['in'](cost.plan, sub_ids),
                    group_by=[cost.plan]))
            for plan_id, *sums in cursor:
                for name, value in zip(names, sums):
                    totals[name][plan_id] = value
        for plan in plans:
            for name in names:
                totals[name][plan.id] = plan.company.currency.round(
                    Decimal(str(totals[name][plan.id])))
        return totals

    @classmethod
    def _overdue_domain(cls, date):
        """The plans whose report is late (A6): not handed in though due
        before date, or handed in after its due date"""
        return ['OR',
            [
                ('state', 'in', ['approved', 'in_progress']),
                ('report_due', '<', date),
                ],
            ('reported_late', '=', True),
            ]

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, plans):
        "Submit the plan to the vice-president once it is complete (A2, A3)"
        for plan in plans:
            plan.check_team()
            plan.check_budget()

    def check_team(self):
        "Raise unless customer service leads a team of every required role"
        roles = [m.role for m in self.members]
        if roles.count('leader') != 1:
            raise AuditError(gettext(
                    'aftersales_audit.msg_plan_one_leader',
                    plan=self.rec_name))
        Member = Pool().get('aftersales.audit.plan.member')
        labels = dict(Member.fields_get(['role'])['role']['selection'])
        for role in REQUIRED_ROLES:
            if role not in roles:
                raise AuditError(gettext(
                        'aftersales_audit.msg_plan_missing_role',
                        plan=self.rec_name, role=labels[role]))

    def check_budget(self):
        "Raise when the plan budgets no cost (A3)"
        if not any(c.budget for c in self.costs):
            raise AuditError(gettext(
                    'aftersales_audit.msg_plan_no_budget', plan=self.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    @stamp('approved')
    def approve(cls, plans):
        "The vice-president approves the plan before it starts (A3)"

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    def refuse(cls, plans):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def start(cls, plans):
        """Start the approved audit with a score sheet of the active
        criteria (A8); a surprise audit becomes visible to its office"""
        pool = Pool()
        Criterion = pool.get('aftersales.audit.criterion')
        Score = pool.get('aftersales.audit.score')
        criteria = Criterion.search([])
        scored = {(s.plan, s.criterion) for p in plans for s in p.scores}
        Score.save([Score(plan=p, criterion=c)
                for p in plans for c in criteria if (p, c) not in scored])

    @classmethod
    @ModelView.button
    @Workflow.transition('reported')
    def report(cls, plans):
        "Hand the written report to the vice-president, noting it late (A6)"
        today = Pool().get('ir.date').today()
        for plan in plans:
            plan.check_report()
        for late in [True, False]:
            cls.write([p for p in plans if (p.report_due < today) == late], {
                    'report_date': today,
                    'reported_late': late,
                    })

    def check_report(self):
        "Raise unless the report is written and every criterion scored"
        if not self.report_summary:
            raise AuditError(gettext(
                    'aftersales_audit.msg_plan_no_report', plan=self.rec_name))
        missing = [s for s in self.scores if s.score is None]
        if missing:
            raise AuditError(gettext(
                    'aftersales_audit.msg_plan_unscored', plan=self.rec_name,
                    criterion=missing[0].criterion.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, plans):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, plans):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    @reset_stamps('approved')
    def draft(cls, plans):
        pass


class PlanMember(ModelSQL, ModelView):
    "The employee taking part in an audit, and in which role (A2)"
    __string__ = "Audit Team Member"
    __name__ = 'aftersales.audit.plan.member'

    plan = owner_field('aftersales.audit.plan', "Plan")
    employee = fields.Many2One('company.employee', "Employee", required=True)
    role = fields.Selection([
            ('leader', "Leader (Customer Service)"),
            ('sales_planning', "Sales Planning"),
            ('finance', "Finance"),
            ('ad_hoc', "Ad Hoc"),
            ], "Role", required=True)
    role_string = role.translated('role')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('plan')

    @classmethod
    def default_role(cls):
        return 'ad_hoc'


class PlanCost(ModelSQL, ModelView):
    "A cost of an audit, budgeted and actual (A3, A4)"
    __string__ = "Audit Cost"
    __name__ = 'aftersales.audit.plan.cost'

    plan = owner_field('aftersales.audit.plan', "Plan")
    description = fields.Char("Description", required=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    budget = fields.Numeric(
        "Budget", digits='currency',
        domain=['OR', ('budget', '=', None), ('budget', '>=', 0)])
    actual = fields.Numeric(
        "Actual", digits='currency',
        domain=['OR', ('actual', '=', None), ('actual', '>=', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('plan')

    @fields.depends('plan', '_parent_plan.company')
    def on_change_with_currency(self, name=None):
        if self.plan and self.plan.company:
            return self.plan.company.currency.id


class PlanReport(AftersalesReport):
    "The written audit report to the vice-president (A6)"
    __name__ = 'aftersales.audit.plan.report'
