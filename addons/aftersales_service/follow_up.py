"Follow-up calls after a service and first contacts of new customers"
import datetime as dt
from zoneinfo import ZoneInfo

from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.dates import within_days
from trytond.modules.aftersales_warranty.document import (
    DocumentMixin, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.overdue import (
    OverdueMixin, overdue_field)
from trytond.modules.aftersales_warranty.party import OFFICE_ROLES
from trytond.modules.aftersales_warranty.report import AftersalesReport
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.pool import Pool, PoolMeta

from .monthly import MonthlyMixin, ratio
_open = editable_in('open')


class FollowUp(OverdueMixin, DocumentMixin, NumberedMixin, Workflow,
        ModelSQL, ModelView):
    """Follow-Up

    A call to a customer: after a closed service request or complaint of a
    member customer, or the first contact of a customer newly assigned to a
    specialist.
    """
    __string__ = "Follow-Up"
    __name__ = 'aftersales.service.follow_up'
    _number_sequence = 'follow_up_sequence'
    _initial_state = 'open'
    _deletable_states = ['open', 'cancelled']
    _copy_reset = ['called_at', 'notes']

    kind = fields.Selection([
            ('after_service', "After Service"),
            ('first_contact', "First Contact"),
            ], "Kind", required=True, states=_open)
    customer = party_field(
        "Customer", required=True, states=_open)
    origin = fields.Reference(
        "Origin", selection='get_origins', readonly=True,
        help="The closed service request or complaint followed up.")
    office = party_field(
        "Office", states=_open,
        domain=[('aftersales_role', 'in', OFFICE_ROLES)],
        help="The office of the customer's area, whose coverage counts it.")
    specialist = fields.Many2One(
        'company.employee', "Specialist", states=_open)
    due_date = fields.Date("Due Date", required=True, states=_open)
    called_at = fields.DateTime(
        "Called At", states=_open,
        help="Within the calling hours of the company's time zone.")
    notes = fields.Text("Notes", states=_open)
    overdue = overdue_field("The call is late.")
    state = state_field([
            ('open', "Open"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.origin, Index.Equality())),
                Index(t, (t.due_date, Index.Range())),
                })
        cls._order = [('due_date', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('open', 'done'),
            ('open', 'cancelled'),
            ('cancelled', 'open'),
            }
        cls._buttons.update(state_buttons(
                do=['open'], cancel=['open'], reopen=['cancelled']))

    @classmethod
    def default_kind(cls):
        return 'after_service'

    @classmethod
    def get_origins(cls):
        IrModel = Pool().get('ir.model')
        models = ['aftersales.service.request', 'sale.complaint']
        return [(None, '')] + [(m, IrModel.get_name(m)) for m in models]

    @classmethod
    def _overdue_domain(cls, date):
        "The open calls past their due date (C6, C12)"
        return [
            ('state', '=', 'open'),
            ('due_date', '<', date),
            ]

    @classmethod
    def plan(cls, origins):
        """Plan the follow-up of each closed origin of a member customer,
        due within the configured days (C6)

        origins are any closed records with a company and a customer; an
        origin already followed up gets no second call.
        """
        origins = [o for o in origins if o.customer.service_member]
        planned = {str(f.origin) for f in cls.search([
                    ('origin', 'in', [str(o) for o in origins]),
                    ])}
        origins = [o for o in origins if str(o) not in planned]
        cls._plan([(o.company, o.customer, str(o)) for o in origins],
            'after_service', 'follow_up_days')

    @classmethod
    def plan_first_contact(cls, company, customers):
        """Plan the first contact of customers newly assigned to their
        specialist, due within the configured days (C12)"""
        cls._plan([(company, c, None) for c in customers],
            'first_contact', 'first_contact_days')

    @classmethod
    def _plan(cls, targets, kind, days_field):
        "Create the calls of (company, customer, origin) targets"
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        Point = pool.get('aftersales.repair.point')
        today = pool.get('ir.date').today()
        addresses = {c: c.address_get() for _, c, _ in targets}
        points = Point.find(
            list({a.subdivision for a in addresses.values() if a}))
        follow_ups = []
        for company, customer, origin in targets:
            days = Configuration.company_value(days_field, company)
            address = addresses[customer]
            area_points = points.get(
                address.subdivision.id if address and address.subdivision
                else None) or []
            follow_ups.append(cls(
                    company=company, customer=customer, origin=origin,
                    kind=kind, specialist=customer.service_specialist,
                    office=area_points[0].office if area_points else None,
                    due_date=within_days(today, days)))
        cls.save(follow_ups)
        return follow_ups

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, follow_ups):
        "Record the call, made within the calling hours (C6)"
        for follow_up in follow_ups:
            if not follow_up.called_at or not follow_up.notes:
                raise UserError(gettext(
                        'aftersales_service.msg_follow_up_incomplete',
                        follow_up=follow_up.rec_name))
            follow_up.check_calling_hours()

    def check_calling_hours(self):
        "Raise when the call was made at the customer's rest hours"
        Configuration = Pool().get('aftersales.configuration')
        start = Configuration.company_value('calling_start', self.company)
        end = Configuration.company_value('calling_end', self.company)
        called = local_time(self.company, self.called_at)
        if not start <= called <= end:
            raise UserError(gettext(
                    'aftersales_service.msg_follow_up_rest_hours',
                    follow_up=self.rec_name,
                    time=called.strftime('%H:%M'),
                    start=start.strftime('%H:%M'),
                    end=end.strftime('%H:%M')))

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, follow_ups):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, follow_ups):
        pass


def local_time(company, datetime):
    "Return the time of the UTC datetime in company's time zone"
    zone = ZoneInfo(company.timezone) if company.timezone else dt.timezone.utc
    return datetime.replace(tzinfo=dt.timezone.utc).astimezone(zone).time()


class Coverage(MonthlyMixin, ModelSQL, ModelView):
    """Follow-Up Coverage

    The calls due in a month per office and how many were made (C6).
    """
    __string__ = "Follow-Up Coverage"
    __name__ = 'aftersales.service.follow_up.coverage'
    _monthly_key = 'office'

    office = party_field(
        "Office", readonly=True)
    due = fields.Integer("Due", readonly=True)
    done = fields.Integer("Done", readonly=True)
    rate = fields.Function(
        fields.Float("Coverage", digits=(1, 4)), 'get_rate')

    @classmethod
    def table_query(cls):
        FollowUp = Pool().get('aftersales.service.follow_up')
        t = FollowUp.__table__()
        return t.select(
            Min(t.id).as_('id'),
            t.company.as_('company'),
            t.office.as_('office'),
            *cls._month(t.due_date),
            Count(t.id).as_('due'),
            Sum(Case((t.state == 'done', 1), else_=0)).as_('done'),
            where=t.state != 'cancelled',
            group_by=[t.company, t.office, *cls._month_key(t.due_date)])

    def get_rate(self, name):
        return ratio(self.done, self.due)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    service_member = fields.Boolean(
        "Member Customer",
        help="Every closed service or complaint of a member is followed "
        "up.")
    service_specialist = fields.Many2One(
        'company.employee', "Customer-Service Specialist",
        help="A customer newly assigned is contacted within the configured "
        "days.")

    @classmethod
    def default_service_member(cls):
        return False

    @classmethod
    def on_modification(cls, mode, parties, field_names=None):
        "Plan the first contact of customers assigned a specialist (C12)"
        super().on_modification(mode, parties, field_names=field_names)
        if mode in {'create', 'write'} and (
                field_names is None or 'service_specialist' in field_names):
            FollowUp = Pool().get('aftersales.service.follow_up')
            by_company = {}
            for party in parties:
                if party.service_specialist:
                    by_company.setdefault(
                        party.service_specialist.company, []).append(party)
            for company, customers in by_company.items():
                FollowUp.plan_first_contact(company, customers)


class Summary(AftersalesReport):
    "The follow-up coverage of the months and offices printed (C6)"
    __name__ = 'aftersales.service.follow_up.summary'
