import datetime as dt

from trytond.modules.aftersales_warranty.tests.tools import new_company
from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


def add_calendar_days(company, days):
    "Create the company's calendar days from (date, kind) pairs"
    CalendarDay = Pool().get('aftersales.service.calendar.day')
    CalendarDay.create([
            {'company': company.id, 'date': date, 'kind': kind}
            for date, kind in days])


class AftersalesServiceTestCase(CompanyTestMixin, ModuleTestCase):
    "Test After-Sales Service module"
    module = 'aftersales_service'

    @with_transaction()
    def test_c11_working_days_skip_weekend_and_holiday(self):
        "C11: 5 working days from a Thursday skip the weekend and a holiday"
        CalendarDay = Pool().get('aftersales.service.calendar.day')
        thursday = dt.date(2026, 4, 30)
        with new_company() as company:
            self.assertEqual(
                CalendarDay.add_working_days(company, thursday, 5),
                dt.date(2026, 5, 7))
            add_calendar_days(company, [(dt.date(2026, 5, 1), 'holiday')])
            self.assertEqual(
                CalendarDay.add_working_days(company, thursday, 5),
                dt.date(2026, 5, 8))
            self.assertEqual(
                CalendarDay.working_days_between(
                    company, thursday, dt.date(2026, 5, 8)), 5)
            self.assertEqual(
                CalendarDay.working_days_between(
                    company, thursday, dt.date(2026, 5, 11)), 6)
            self.assertEqual(
                CalendarDay.add_working_days(company, thursday, 0), thursday)
            self.assertEqual(
                CalendarDay.working_days_between(
                    company, thursday, thursday), 0)

    @with_transaction()
    def test_c11_exchanged_working_day_counts(self):
        "C11: an exchanged working Saturday counts, another company's not"
        CalendarDay = Pool().get('aftersales.service.calendar.day')
        friday = dt.date(2026, 5, 8)
        with new_company() as other:
            add_calendar_days(other, [(dt.date(2026, 5, 11), 'holiday')])
        with new_company() as company:
            add_calendar_days(company, [(dt.date(2026, 5, 9), 'working')])
            self.assertEqual(
                CalendarDay.add_working_days(company, friday, 1),
                dt.date(2026, 5, 9))
            self.assertEqual(
                CalendarDay.add_working_days(company, friday, 2),
                dt.date(2026, 5, 11))

    @with_transaction()
    def test_c11_long_holiday_beyond_window(self):
        "C11: a holiday longer than the first window is still skipped"
        CalendarDay = Pool().get('aftersales.service.calendar.day')
        start = dt.date(2026, 1, 1)
        with new_company() as company:
            add_calendar_days(company, [
                    (start + dt.timedelta(n), 'holiday')
                    for n in range(1, 61)])
            self.assertEqual(
                CalendarDay.add_working_days(company, start, 1),
                dt.date(2026, 3, 3))


del ModuleTestCase
