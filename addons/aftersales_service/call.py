"The hotline's call log: orders, complaints and inquiries (C1, C2, C4)"
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.document import (
    DocumentMixin, save_links, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.stamp import stamp_defaults
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import timezone as tz

from .exceptions import CallError

_draft = editable_in('draft')


def _kind_states(kind, required=False):
    "Return the states of a field of the calls of kind only"
    states = {**_draft, 'invisible': Eval('kind') != kind}
    if required:
        states['required'] = (
            (Eval('kind') == kind) & (Eval('state') != 'draft'))
    return states


class Call(DocumentMixin, NumberedMixin, Workflow, ModelSQL, ModelView):
    """A hotline call, recorded on the form of its kind: an order, a
    complaint or an inquiry"""
    __string__ = "Hotline Call"
    __name__ = 'aftersales.service.call'
    _number_sequence = 'call_sequence'
    _copy_reset = ['state', 'start', 'end', 'operator', 'channel',
        'route_date', 'sale', 'out_of_area_answer', 'complaint',
        'order_call']
    _muted_states = ['cancelled', 'out_of_area']

    kind = fields.Selection([
            ('order', "Order"),
            ('complaint', "Complaint"),
            ('inquiry', "Inquiry"),
            ], "Kind", required=True, states=_draft)
    caller = party_field(
        "Caller", states=_draft,
        help="Leave empty for a new caller: the call creates the party "
        "from the name, phone and address.")
    caller_name = fields.Char(
        "Caller Name", states={
            'readonly': (Eval('state') != 'draft') | Eval('caller'),
            'required': ~Eval('caller'),
            })
    phone = fields.Char("Phone", states=_draft)
    address = fields.Many2One(
        'party.address', "Address",
        states={**_draft, 'invisible': ~Eval('caller')},
        domain=[('party', '=', Eval('caller', -1))])
    street = fields.Text(
        "Street",
        states={**_draft, 'invisible': Eval('caller') & Eval('address')},
        help="The address of a new caller.")
    subdivision = fields.Many2One(
        'country.subdivision', "Area", states=_draft,
        help="The province or city the caller is in: it decides the sales "
        "channel of an order.")
    medium = fields.Selection([
            ('phone', "Telephone"),
            ('online', "Online"),
            ('email', "E-Mail"),
            ('visit', "Walk-In"),
            ], "Channel", required=True, states=_draft)
    operator = fields.Many2One(
        'res.user', "Operator", required=True, states=_draft)
    start = fields.DateTime("Start", required=True, states=_draft)
    end = fields.DateTime(
        "End", states=_draft,
        domain=['OR', ('end', '=', None), ('end', '>=', Eval('start'))])

    product = fields.Many2One(
        'product.product', "Product", states=_kind_states('order', True),
        context={'company': Eval('company', -1)}, depends={'company'},
        domain=[('salable', '=', True)])
    quantity = fields.Float(
        "Quantity", digits=(16, 2), states=_kind_states('order', True),
        domain=['OR', ('quantity', '=', None), ('quantity', '>', 0)])
    unit_price = fields.Numeric(
        "Unit Price", digits=(16, 4), states=_kind_states('order'),
        domain=['OR', ('unit_price', '=', None), ('unit_price', '>=', 0)],
        help="The price told to the caller; empty: the list price.")
    channel = fields.Many2One(
        'aftersales.service.channel', "Sales Channel", readonly=True,
        states={'invisible': Eval('kind') != 'order'})
    route_date = fields.Date(
        "Routed For", readonly=True,
        states={'invisible': Eval('kind') != 'order'},
        help="The working day the order goes to its sales channel.")
    sale = fields.Many2One(
        'sale.sale', "Sale", readonly=True,
        states={'invisible': Eval('kind') != 'order'})
    out_of_area_answer = fields.Text(
        "Out-of-Area Answer", states={
            'invisible': Eval('state') != 'out_of_area',
            'readonly': True,
            },
        help="What the caller was told: no channel serves the area.")

    topic = fields.Char(
        "Topic", states=_kind_states('inquiry', True))
    answer = fields.Text(
        "Answer Given", states=_kind_states('inquiry', True))
    prospect = fields.Boolean(
        "May Order", states=_kind_states('inquiry'),
        help="The caller may buy: one click makes an order call of it.")
    order_call = fields.Many2One(
        'aftersales.service.call', "Order Call", readonly=True,
        states={'invisible': ~Eval('order_call')})

    complaint_target = fields.Char(
        "Complaint About", states=_kind_states('complaint', True),
        help="The product, employee or service complained about.")
    complaint_reason = fields.Text(
        "Complaint Reason", states=_kind_states('complaint', True))
    complaint = fields.Many2One(
        'sale.complaint', "Complaint", readonly=True,
        states={'invisible': Eval('kind') != 'complaint'})

    earlier_calls = fields.Function(fields.Many2Many(
            'aftersales.service.call', None, None, "Earlier Calls"),
        'on_change_with_earlier_calls')
    registrations = fields.Function(fields.Many2Many(
            'aftersales.warranty.registration', None, None,
            "Warranty Registrations"),
        'on_change_with_registrations')
    open_complaints = fields.Function(fields.Many2Many(
            'sale.complaint', None, None, "Open Complaints"),
        'on_change_with_open_complaints')

    state = state_field([
            ('draft', "Draft"),
            ('recorded', "Recorded"),
            ('routed', "Routed"),
            ('out_of_area', "Out of Area"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'recorded'),
            ('draft', 'routed'),
            ('draft', 'out_of_area'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update(state_buttons(
                cancel=['draft'], draft=['cancelled']))
        cls._buttons.update({
                'record': {
                    'invisible': ((Eval('state') != 'draft')
                        | (Eval('kind') == 'order')),
                    'depends': ['state', 'kind'],
                    },
                'route': {
                    'invisible': ((Eval('state') != 'draft')
                        | (Eval('kind') != 'order')),
                    'depends': ['state', 'kind'],
                    },
                'to_order': {
                    'invisible': ((Eval('state') != 'recorded')
                        | (Eval('kind') != 'inquiry')
                        | Eval('order_call')),
                    'depends': ['state', 'kind', 'order_call'],
                    },
                })

    default_operator, default_start = stamp_defaults()

    @classmethod
    def default_kind(cls):
        return 'order'

    @classmethod
    def default_medium(cls):
        return 'phone'

    @fields.depends('phone', 'caller')
    def on_change_phone(self):
        "The caller of a known phone number fills in by itself (C1)"
        if self.phone and not self.caller:
            self.caller = self._caller_of_phone(self.phone)
            self.on_change_caller()

    @classmethod
    def _caller_of_phone(cls, phone):
        Party = Pool().get('party.party')
        parties = Party.search([
                ('contact_mechanisms.value', '=', phone.strip()),
                ], limit=1)
        return parties[0] if parties else None

    @fields.depends('caller', 'address', 'subdivision', 'phone')
    def on_change_caller(self):
        if self.caller:
            if not self.address:
                self.address = self.caller.address_get()
            if self.address and self.address.subdivision:
                self.subdivision = self.address.subdivision
            if not self.phone:
                self.phone = self.caller.phone or self.caller.mobile

    @fields.depends('address', 'subdivision')
    def on_change_address(self):
        if self.address and self.address.subdivision:
            self.subdivision = self.address.subdivision

    @fields.depends('product', 'unit_price')
    def on_change_product(self):
        if self.product and self.unit_price is None:
            self.unit_price = self.product.list_price_used

    @fields.depends('id', 'caller', 'phone')
    def on_change_with_earlier_calls(self, name=None):
        "The calls of the same caller or from the same phone (C1)"
        domain = ['OR']
        if self.caller:
            domain.append(('caller', '=', self.caller.id))
        if self.phone:
            domain.append(('phone', '=', self.phone.strip()))
        if len(domain) == 1:
            return []
        return [c.id for c in self.search([
                    domain,
                    ('id', '!=', self.id if self.id and self.id > 0 else -1),
                    ], limit=20)]

    @fields.depends('caller')
    def on_change_with_registrations(self, name=None):
        return self._caller_records(
            'aftersales.warranty.registration', limit=20)

    @fields.depends('caller')
    def on_change_with_open_complaints(self, name=None):
        return self._caller_records('sale.complaint', [
                ('state', 'not in', ['done', 'cancelled', 'rejected']),
                ])

    def _caller_records(self, model, domain=None, limit=None):
        "Return the ids of the records of model whose customer is the caller"
        if not self.caller:
            return []
        Model = Pool().get(model)
        return [r.id for r in Model.search([
                    ('customer', '=', self.caller.id),
                    domain or [],
                    ], limit=limit)]

    @classmethod
    def create_callers(cls, calls):
        "Create the parties of the new callers from what the call holds"
        pool = Pool()
        Party = pool.get('party.party')
        new = [c for c in calls if not c.caller]
        parties = [Party(
                name=c.caller_name,
                contact_mechanisms=[{'type': 'phone', 'value': c.phone}]
                if c.phone else [],
                addresses=[{
                        'street': c.street,
                        'subdivision': c.subdivision,
                        'country': (c.subdivision.country
                            if c.subdivision else None),
                        }])
            for c in new]
        Party.save(parties)
        for call, party in zip(new, parties):
            call.caller = party
            call.address = party.addresses[0]
        cls.save(new)

    @classmethod
    def check_recordable(cls, calls):
        for call in calls:
            if not call.end:
                call.end = dt.datetime.now()
            for name in cls._required_of(call.kind):
                if not getattr(call, name):
                    raise CallError(gettext(
                            'aftersales_service.msg_call_missing',
                            call=call.rec_name,
                            field=cls.__names__(name)['field']))
        cls.save(calls)

    @classmethod
    def _required_of(cls, kind):
        return {
            'order': ['product', 'quantity', 'subdivision'],
            'complaint': ['complaint_target', 'complaint_reason'],
            'inquiry': ['topic', 'answer'],
            }[kind]

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, calls):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, calls):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('recorded')
    def record(cls, calls):
        """Record an inquiry or a complaint; a complaint opens a sale
        complaint at its first step (C3)"""
        cls.check_recordable(calls)
        cls.create_callers(calls)
        cls.create_complaints([c for c in calls if c.kind == 'complaint'])

    @classmethod
    def create_complaints(cls, calls):
        pool = Pool()
        Complaint = pool.get('sale.complaint')
        ModelData = pool.get('ir.model.data')
        type_id = ModelData.get_id('aftersales_service', 'complaint_type_call')
        save_links(calls, 'complaint', [Complaint(
                    company=c.company, customer=c.caller, type=type_id,
                    date=c.start.date(), target=c.complaint_target,
                    description=c.complaint_reason, call=c)
                for c in calls])

    @classmethod
    @ModelView.button
    def route(cls, calls):
        """Send each order to the channel of the caller's area on its route
        day, or answer that no channel serves the area (C2)"""
        Channel = Pool().get('aftersales.service.channel')
        calls = [c for c in calls if c.state == 'draft']
        cls.check_recordable(calls)
        cls.create_callers(calls)
        for company, company_calls in _by_company(calls).items():
            serving = Channel.serving(
                company, {c.subdivision for c in company_calls})
            for call in company_calls:
                call.channel = serving[call.subdivision.id]
                call.route_date = cls.route_date_of(company, call.start)
        cls.save(calls)
        cls.answer_out_of_area([c for c in calls if not c.channel])
        cls.send_orders([c for c in calls if c.channel])

    @classmethod
    def route_date_of(cls, company, start):
        """Return the working day an order taken at start goes out: the
        same day before the company's cut-off, else the next (C2)"""
        pool = Pool()
        Calendar = pool.get('aftersales.service.calendar.day')
        Configuration = pool.get('aftersales.configuration')
        cutoff = Configuration(1).get_multivalue(
            'order_cutoff', company=company.id)
        zone = tz.get_tzinfo(company.timezone) if company.timezone else tz.UTC
        local = start.replace(tzinfo=tz.UTC).astimezone(zone)
        day = local.date()
        if (local.time() < cutoff
                and Calendar.working_days_between(
                    company, day - dt.timedelta(1), day)):
            return day
        return Calendar.add_working_days(company, day, 1)

    @classmethod
    @Workflow.transition('out_of_area')
    def answer_out_of_area(cls, calls):
        "Record the apology told to callers no channel serves (C2)"
        for call in calls:
            call.out_of_area_answer = gettext(
                'aftersales_service.msg_call_out_of_area',
                area=call.subdivision.rec_name)
        cls.save(calls)

    @classmethod
    @Workflow.transition('routed')
    def send_orders(cls, calls):
        "Make each order a draft sale of its caller for its route day"
        save_links(calls, 'sale', [c.get_sale() for c in calls])

    def get_sale(self):
        pool = Pool()
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        sale = Sale(
            company=self.company, party=self.caller,
            sale_date=self.route_date, reference=self.number,
            description=self.channel.name)
        sale.on_change_party()
        sale.invoice_address = sale.shipment_address = self.address
        line = Line(
            sale=sale, type='line', product=self.product,
            quantity=self.quantity)
        line.on_change_product()
        if self.unit_price is not None:
            line.unit_price = self.unit_price
        sale.lines = [line]
        return sale

    @classmethod
    @ModelView.button
    def to_order(cls, inquiries):
        "Turn a caller who may buy into an order call, in one click (C4)"
        orders = cls.copy(inquiries, default={
                'kind': 'order',
                'topic': None,
                'answer': None,
                'prospect': False,
                })
        for inquiry, order in zip(inquiries, orders):
            inquiry.order_call = order
        cls.save(inquiries)


def _by_company(records):
    grouped = {}
    for record in records:
        grouped.setdefault(record.company, []).append(record)
    return grouped
