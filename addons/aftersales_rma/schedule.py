"The regional return calendar"
import calendar
import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.modules.aftersales_warranty.document import owner_field

from .exceptions import CalendarError, ScheduleError

# The states in which an application uses up its sender's month (R6)
MONTH_STATES = ['submitted', 'approved', 'shipped', 'arrived', 'counted',
    'done']


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

    subdivision = owner_field(
        'country.subdivision', "Region",
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


class ReturnCalendarMixin:
    """The return calendar of a return application (R6, R7, R11)

    The planned dispatch defaults to the next day of the region's return
    week; a dispatch outside that week, from a region without a week or a
    second one of the sender in the month needs a special approval.
    """
    __slots__ = ()

    @classmethod
    def default_planned_date(cls):
        "The first allowed dispatch day in the user's office's region"
        pool = Pool()
        Party = pool.get('party.party')
        sender = cls.default_sender()
        if sender:
            address = Party(sender).address_get()
            if address and address.subdivision:
                return cls.next_dispatch_date(
                    address.subdivision, cls.default_date())

    @fields.depends('region', 'date', 'planned_date', 'special_approved_by')
    def on_change_region(self):
        "Move the planned dispatch to the region's next allowed day (R6)"
        if not self.region or self.special_approved_by:
            return
        start = max(filter(None, [self.date, self.planned_date]),
            default=Pool().get('ir.date').today())
        date = self.next_dispatch_date(self.region, start)
        if date and date != self.planned_date:
            self.planned_date = date

    @fields.depends('region', 'planned_date', 'special_approved_by',
        'special_request', 'number')
    def on_change_notify(self):
        notifications = super().on_change_notify()
        if self.planned_date and self.is_held_to_week():
            try:
                self.check_week(self.planned_date)
            except ScheduleError as exception:
                notifications.append(('warning', exception.message))
        return notifications

    @classmethod
    def next_dispatch_date(cls, region, date):
        """Return the first day from date inside the region's return week

        None when the region has no week (R6, R11).
        """
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        RegionWeek = pool.get('aftersales.rma.region.week')
        week = RegionWeek.weeks_of([region])[region.id]
        if not week:
            return
        days = Configuration(1).return_week_days
        first, last = week_window(date.year, date.month, week, days)
        if date > last:
            following = next_month(date)
            first, last = week_window(
                following.year, following.month, week, days)
        return max(first, date)

    @classmethod
    def check_planned_week(cls, applications):
        """Refuse a draft's planned dispatch outside the region's week (R6)

        Unless the office asks for a special approval (R7); a region
        without a week is refused at submission.
        """
        for application in applications:
            if application.state == 'draft' and application.is_held_to_week():
                application.check_week(application.planned_date)

    def is_held_to_week(self):
        """Tell whether the planned dispatch must fall in the region's week:
        neither specially approved nor asked to be (R6, R7)"""
        return bool(self.region
            and not self.special_approved_by
            and not (self.special_request or '').strip())

    def check_week(self, date):
        "Refuse date outside the week of the region, if it has one (R6)"
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        RegionWeek = pool.get('aftersales.rma.region.week')
        week = RegionWeek.weeks_of([self.region])[self.region.id]
        if week:
            self._check_week(
                date, week, Configuration(1).return_week_days)

    def _check_week(self, date, week, days):
        first, last = week_window(date.year, date.month, week, days)
        if not first <= date <= last:
            following = next_month(date)
            next_first, _ = week_window(
                following.year, following.month, week, days)
            raise ScheduleError(gettext(
                    'aftersales_rma.msg_outside_week',
                    application=self.number or '',
                    date=date, week=week, first=first, last=last,
                    next_first=next_first,
                    region=self.region.rec_name))

    @classmethod
    def get_week(cls, applications, name):
        RegionWeek = Pool().get('aftersales.rma.region.week')
        weeks = RegionWeek.weeks_of([a.region for a in applications])
        return {a.id: weeks.get(a.region.id) if a.region else None
            for a in applications}

    @classmethod
    def check_schedule(cls, applications, date_field):
        """Check the regional return week and the one return a month (R6)

        A region without a week (R11), a date outside the region's week or
        a second return in the month needs a special approval (R7).
        """
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        RegionWeek = pool.get('aftersales.rma.region.week')
        if not applications:
            return
        configuration = Configuration(1)
        days = configuration.return_week_days
        weeks = RegionWeek.weeks_of([a.region for a in applications])
        months = {}
        for application in applications:
            date = getattr(application, date_field)
            if not application.region:
                raise ScheduleError(gettext(
                        'aftersales_rma.msg_application_no_region',
                        application=application.rec_name))
            week = weeks[application.region.id]
            if not week:
                raise ScheduleError(gettext(
                        'aftersales_rma.msg_region_no_week',
                        application=application.rec_name,
                        region=application.region.rec_name))
            application._check_week(date, week, days)
            months[application] = date.replace(day=1)
        cls.check_one_a_month(months)

    @classmethod
    def check_one_a_month(cls, months):
        "Refuse a second non-special return of a sender in a month (R6)"
        clauses = ['OR']
        for application, month in months.items():
            clauses.append([
                    ('sender', '=', application.sender.id),
                    ('planned_date', '>=', month),
                    ('planned_date', '<', next_month(month)),
                    ])
        others = cls.search([
                clauses,
                ('state', 'in', MONTH_STATES),
                ('special_approved_by', '=', None),
                ])
        taken = defaultdict(list)
        for other in others:
            taken[other.sender, other.planned_date.replace(day=1)].append(
                other)
        seen = {}
        for application, month in months.items():
            key = application.sender, month
            previous = [o for o in taken[key] if o != application]
            if key in seen:
                previous.append(seen[key])
            if previous:
                raise ScheduleError(gettext(
                        'aftersales_rma.msg_one_return_a_month',
                        application=application.rec_name,
                        sender=application.sender.rec_name,
                        month=month.strftime('%Y-%m'),
                        other=previous[0].rec_name))
            seen[key] = application
