"Figures added up a month at a time"
from sql.functions import Extract

from trytond.model import fields


def ratio(part, whole):
    "Return part / whole, none when whole is naught"
    return part / whole if whole else None


class MonthlyMixin:
    """The figures of a company for a month, per _monthly_key, the latest
    month first"""
    __slots__ = ()
    _monthly_key = None

    company = fields.Many2One('company.company', "Company", readonly=True)
    year = fields.Integer("Year", readonly=True)
    month = fields.Integer("Month", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('year', 'DESC'), ('month', 'DESC'), (cls._monthly_key, 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def _month_key(cls, date):
        "Return the SQL year and month of date"
        return [
            cls.year.sql_cast(Extract('YEAR', date)),
            cls.month.sql_cast(Extract('MONTH', date)),
            ]

    @classmethod
    def _month(cls, date):
        "Return the SQL year and month columns of date"
        year, month = cls._month_key(date)
        return [year.as_('year'), month.as_('month')]
