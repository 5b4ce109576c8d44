"The regional return calendar"
import calendar
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool

from .exceptions import CalendarError


def week_window(year, month, week, days):
    """Return (first, last) day of week of the month, both inclusive

    Week k runs from day (k-1)*days+1 to day k*days (R6).
    """
    first = dt.date(year, month, (week - 1) * days + 1)
    last = first + dt.timedelta(days=days - 1)
    assert last.month == month, "the week runs past the month's end"
    return first, last


def week_of(date, days, weeks):
    "Return the number of the week date is in, or None past the last week"
    week = (date.day - 1) // days + 1
    return week if week <= weeks else None


def next_month(date):
    "Return the first day of the month after date's"
    last = calendar.monthrange(date.year, date.month)[1]
    return date.replace(day=last) + dt.timedelta(days=1)


class RegionWeek(ModelSQL, ModelView):
    "Return Week of a Region"
    __name__ = 'aftersales.rma.region.week'
    __string__ = "Return Week of a Region"

    subdivision = fields.Many2One(
        'country.subdivision', "Region", required=True, ondelete='CASCADE',
        help="A province or a city: a city's week takes precedence over "
        "its province's.")
    week = fields.Integer(
        "Return Week", required=True,
        help="The week of each month in which the region's offices "
        "dispatch their return.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('subdivision_unique', Unique(t, t.subdivision),
                'aftersales_rma.msg_region_week_unique'),
            ]
        cls._order.insert(0, ('week', 'ASC'))

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        if 'week' in field_names:
            Configuration = Pool().get('aftersales.configuration')
            weeks = Configuration(1).return_weeks
            for record in records:
                if not 1 <= record.week <= weeks:
                    raise CalendarError(gettext(
                            'aftersales_rma.msg_region_week_range',
                            region=record.subdivision.rec_name,
                            week=record.week, weeks=weeks))

    @classmethod
    def weeks_of(cls, subdivisions):
        """Return {subdivision id: week or None}

        A region without a week of its own takes its parent's, so a
        city falls back to its province; a region with neither has none.
        """
        subdivisions = [s for s in subdivisions if s]
        ancestors = {}
        for subdivision in subdivisions:
            chain, node = [], subdivision
            while node and node not in chain:
                chain.append(node)
                node = node.parent
            ancestors[subdivision.id] = chain
        ids = list({n.id for c in ancestors.values() for n in c})
        weeks = {r.subdivision.id: r.week
            for r in cls.search([('subdivision', 'in', ids)])}
        return {
            sid: next((weeks[n.id] for n in chain if n.id in weeks), None)
            for sid, chain in ancestors.items()}
