"The company's working-day calendar: Monday to Friday, holidays, exchanges"
import datetime as dt

from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.modules.aftersales_warranty.document import CompanyMixin
from trytond.transaction import Transaction

WEEKEND = {5, 6}


class CalendarDay(CompanyMixin, ModelSQL, ModelView):
    """A day of a company off the Monday-to-Friday rule

    A holiday on a weekday, or an exchanged working day on a weekend.
    """
    __string__ = "Calendar Day"
    __name__ = 'aftersales.service.calendar.day'

    date = fields.Date("Date", required=True)
    kind = fields.Selection([
            ('holiday', "Holiday"),
            ('working', "Exchanged Working Day"),
            ], "Kind", required=True,
        help="A holiday is not worked; an exchanged working day is worked "
        "although it falls on a weekend.")
    name = fields.Char("Name", translate=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_date_unique', Unique(t, t.company, t.date),
                'aftersales_service.msg_calendar_day_unique'),
            ]
        cls._sql_indexes.add(Index(
                t, (t.company, Index.Equality()), (t.date, Index.Range())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_kind(cls):
        return 'holiday'

    @classmethod
    def _kinds(cls, company, start, end):
        "Return {date: kind} of the company's special days in [start, end]"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.date, table.kind,
                where=(table.company == company.id)
                & (table.date >= start) & (table.date <= end)))
        return {_as_date(d): k for d, k in cursor}

    @classmethod
    def add_working_days(cls, company, date, days):
        """Return the days-th working day of company after date (C11)

        Counting starts the day after date; 0 days gives date itself.
        """
        if days <= 0:
            return date
        # Any run of holidays fits in the window but the longest ones
        span = days * 2 + 31
        while True:
            kinds = cls._kinds(company, date, date + dt.timedelta(span))
            day, count = date, 0
            for _ in range(span):
                day += dt.timedelta(1)
                count += _is_working(day, kinds)
                if count == days:
                    return day
            span *= 2

    @classmethod
    def working_days_between(cls, company, start, end):
        "Return the number of working days of company after start to end"
        if end <= start:
            return 0
        kinds = cls._kinds(company, start, end)
        return sum(
            _is_working(start + dt.timedelta(n), kinds)
            for n in range(1, (end - start).days + 1))


def _as_date(value):
    "SQLite returns the dates of a raw query as text"
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _is_working(day, kinds):
    kind = kinds.get(day)
    if kind:
        return kind == 'working'
    return day.weekday() not in WEEKEND
