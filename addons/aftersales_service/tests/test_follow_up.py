import datetime as dt
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.modules.aftersales_warranty.tests.test_module import (
    create_product)
from trytond.modules.aftersales_warranty.tests.tools import (
    ActivatedTestCase, OverdueTestMixin, create_party, new_company, on)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

TODAY = dt.date(2026, 5, 4)


def create_employee(company, name):
    Employee = Pool().get('company.employee')
    employee, = Employee.create([{
                'company': company.id,
                'party': create_party(name).id,
                }])
    return employee


def create_requests(company, customer, count=1):
    "Return count draft service requests of customer's lamp"
    pool = Pool()
    Component = pool.get('aftersales.warranty.component')
    Request = pool.get('aftersales.service.request')
    lamp = create_product(None)
    component, = Component.search([('code', '=', 'ballast')])
    return Request.create([{
                'company': company.id,
                'customer': customer.id,
                'product': lamp.id,
                'component': component.id,
                } for _ in range(count)])


class FollowUpTestCase(OverdueTestMixin, ActivatedTestCase):
    "Follow-up calls and their coverage"
    module = 'aftersales_service'

    @with_transaction()
    def test_c6_follow_up_overdue_after_3_days(self):
        "C6: a member's closed request is followed up within 3 days"
        FollowUp = Pool().get('aftersales.service.follow_up')
        with new_company() as company:
            member = create_party("Wang Fang", service_member=True)
            request, = create_requests(company, member)
            with on(TODAY):
                FollowUp.plan([request])
            follow_up, = FollowUp.search([])
            self.assertEqual(follow_up.due_date, TODAY + dt.timedelta(3))
            self.assertEqual(follow_up.kind, 'after_service')
            self.assertEqual(follow_up.origin, request)
            with on(TODAY + dt.timedelta(3)):
                self.assert_overdue(on_time=[follow_up])
            with on(TODAY + dt.timedelta(4)):
                self.assert_overdue(overdue=[follow_up])

    @with_transaction()
    def test_c6_only_members_once(self):
        "C6: only members are followed up, and each origin only once"
        FollowUp = Pool().get('aftersales.service.follow_up')
        with new_company() as company:
            member = create_party("Wang Fang", service_member=True)
            other = create_party("Li Wei")
            requests = (create_requests(company, member)
                + create_requests(company, other))
            FollowUp.plan(requests)
            FollowUp.plan(requests)
            follow_up, = FollowUp.search([])
            self.assertEqual(follow_up.customer, member)

    @with_transaction()
    def test_c6_calling_hours(self):
        "C6: a call at the customer's rest hours is refused"
        pool = Pool()
        FollowUp = pool.get('aftersales.service.follow_up')
        with new_company() as company:
            company.timezone = 'Asia/Shanghai'
            company.save()
            member = create_party("Wang Fang", service_member=True)
            FollowUp.plan(create_requests(company, member))
            follow_up, = FollowUp.search([])
            # 07:30 in Shanghai
            follow_up.called_at = dt.datetime(2026, 5, 4, 23, 30)
            follow_up.notes = "No answer."
            follow_up.save()
            with self.assertRaisesRegex(UserError, "07:30.*09:00.*20:00"):
                FollowUp.do([follow_up])
            # 10:00 in Shanghai
            follow_up.called_at = dt.datetime(2026, 5, 5, 2, 0)
            follow_up.save()
            FollowUp.do([follow_up])
            self.assertEqual(follow_up.state, 'done')

    @with_transaction()
    def test_c6_call_needs_time_and_notes(self):
        "C6: a follow-up is done only with its time and notes"
        FollowUp = Pool().get('aftersales.service.follow_up')
        with new_company() as company:
            member = create_party("Wang Fang", service_member=True)
            FollowUp.plan(create_requests(company, member))
            follow_up, = FollowUp.search([])
            with self.assertRaises(UserError):
                FollowUp.do([follow_up])
            self.assertEqual(follow_up.state, 'open')

    @with_transaction()
    def test_c12_first_contact_within_a_week(self):
        "C12: a customer newly assigned to a specialist is called in a week"
        pool = Pool()
        Party = pool.get('party.party')
        FollowUp = pool.get('aftersales.service.follow_up')
        with new_company() as company:
            specialist = create_employee(company, "Chen Jing")
            customer = create_party("Wang Fang")
            self.assertEqual(FollowUp.search([]), [])
            with on(TODAY):
                Party.write([customer], {'service_specialist': specialist.id})
            follow_up, = FollowUp.search([])
            self.assertEqual(follow_up.kind, 'first_contact')
            self.assertEqual(follow_up.specialist, specialist)
            self.assertEqual(follow_up.due_date, TODAY + dt.timedelta(7))
            Party.write([customer], {'name': "Wang Fang (Tianhe)"})
            self.assertEqual(len(FollowUp.search([])), 1)

    @with_transaction()
    def test_c6_coverage_full_and_partial(self):
        "C6: coverage per month and office, 100 % and below"
        pool = Pool()
        FollowUp = pool.get('aftersales.service.follow_up')
        Coverage = pool.get('aftersales.service.follow_up.coverage')
        with new_company() as company:
            office_a = create_party("Guangzhou Office",
                aftersales_role='branch_office')
            office_b = create_party("Foshan Office",
                aftersales_role='branch_office')
            member = create_party("Wang Fang", service_member=True)
            with on(TODAY):
                FollowUp.plan(create_requests(company, member, 4))
            follow_ups = FollowUp.search([], order=[('id', 'ASC')])
            FollowUp.write(follow_ups[:2], {'office': office_a.id})
            FollowUp.write(follow_ups[2:], {'office': office_b.id})
            FollowUp.write(follow_ups[:3], {
                    'called_at': dt.datetime(2026, 5, 5, 10, 0),
                    'notes': "Satisfied.",
                    })
            FollowUp.do(follow_ups[:3])
            rates = {(c.office.name, c.year, c.month): (c.due, c.done, c.rate)
                for c in Coverage.search([])}
            self.assertEqual(rates, {
                    ("Guangzhou Office", 2026, 5): (2, 2, 1.0),
                    ("Foshan Office", 2026, 5): (2, 1, 0.5),
                    })
            summary = pool.get(
                'aftersales.service.follow_up.summary', type='report')
            with patch.object(summary, 'converter', return_value=None):
                extension, content, _, _ = summary.execute(
                    [c.id for c in Coverage.search([])], {})
            self.assertEqual(extension, 'odt')
            self.assertTrue(content)
