"The return application and its lines (R4–R10, R12)"
from collections import defaultdict
from decimal import Decimal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.aftersales_warranty.claim import Claim
from trytond.modules.aftersales_warranty.dates import within_days
from trytond.modules.aftersales_warranty.exceptions import (
    ClaimError, DateOrderError)
from trytond.modules.aftersales_warranty.report import AftersalesReport
from trytond.modules.product import price_digits
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.modules.aftersales_warranty.document import (
    CopyResetMixin, DatedDocumentMixin, lock_and_read, owner_field,
    save_links, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.overdue import (
    OverdueMixin, overdue_field)
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.aftersales_warranty.stamp import (
    reset_stamps, stamp, stamp_values)

from .exceptions import ApplicationError, ArrivalError, DispositionError
from .schedule import MONTH_STATES, ReturnCalendarMixin

STATES = [
    ('draft', "Draft"),
    ('signed', "Signed"),
    ('submitted', "Submitted"),
    ('approved', "Approved"),
    ('refused', "Refused"),
    ('shipped', "Shipped"),
    ('arrived', "Arrived"),
    ('counted', "Counted"),
    ('done', "Done"),
    ('cancelled', "Cancelled"),
    ]
OPEN_ARRIVAL_STATES = ['arrived', 'counted']
# The states in which goods that arrive are not accepted (R5)
UNAPPROVED_STATES = ['signed', 'submitted', 'refused', 'cancelled']
# The dates users type, each not before the ones it follows
DATE_ORDER = [
    ('date', 'planned_date'),
    ('date', 'shipped_date'),
    ('shipped_date', 'arrival_date'),
    ('date', 'arrival_date'),
    ('arrival_date', 'counted_date'),
    ]
# The application's transport data, held by its return shipment
SHIPMENT_FIELDS = {
    'carrier': 'return_carrier',
    'shipped_date': 'shipped_date',
    'freight_cost': 'freight_cost',
    }

_draft = editable_in('draft')
_arriving = editable_in('approved', 'shipped')
_line_draft = editable_in('draft', field='application_state')
_line_arrived = editable_in('arrived', field='application_state')
_line_pending = editable_in('pending', field='disposition_state')


class Application(OverdueMixin, ReturnCalendarMixin, DatedDocumentMixin,
        NumberedMixin, Workflow, ModelSQL, ModelView):
    "Return Application"
    __name__ = 'aftersales.rma.application'
    _muted_states = ['refused', 'cancelled']
    _number_sequence = 'rma_sequence'
    _copy_reset = [
        'signed_by', 'signed_at', 'submitted_at', 'special_reason',
        'special_approved_by', 'special_approved_at', 'approved_by',
        'approved_at', 'refusal_reason', 'form_number', 'return_shipment',
        'freight_payer', 'received_form_number', 'arrival_date', 'count_due',
        'counted_date', 'counted_by', 'disposal_due', 'done_date', 'dispute',
        'arrival_refusals']
    __string__ = "Return Application"

    sender = party_field(
        "Sender", required=True, states=_draft,
        domain=[('aftersales_role', 'not in', [None, 'consumer'])],
        help="The branch office or logistics partner returning the goods.")
    sender_address = fields.Many2One(
        'party.address', "Sender Address", states=_draft,
        domain=[('party', '=', Eval('sender', -1))])
    region = fields.Many2One(
        'country.subdivision', "Region", states=_draft,
        help="The region whose return week applies.")
    date = fields.Date("Application Date", required=True, states=_draft)
    planned_date = fields.Date(
        "Planned Dispatch", required=True, states=_draft,
        help="The day the goods are to leave: inside the region's return "
        "week of the month.")
    month = fields.Function(fields.Char("Month"), 'get_month')
    week = fields.Function(
        fields.Integer("Return Week"), 'get_week')
    lines = fields.One2Many(
        'aftersales.rma.application.line', 'application', "Lines",
        states=editable_in('draft', 'arrived', 'counted'))
    assessment = fields.Text(
        "Preliminary Assessment", states=_draft,
        help="The office or regional manager's assessment of the goods.")
    signed_by = fields.Many2One('res.user', "Signed By", readonly=True)
    signed_at = fields.Timestamp("Signed At", readonly=True)
    submitted_at = fields.Timestamp("Submitted At", readonly=True)

    special_request = fields.Text(
        "Special Approval Request",
        states=editable_in('draft', 'signed'),
        help="Why this return needs a special approval: a batch "
        "quality problem or another exception.")
    special_reason = fields.Text(
        "Special Approval Reason",
        states={
            'readonly': (
                ~Eval('state').in_(['draft', 'signed', 'submitted'])
                | Bool(Eval('special_approved_by'))),
            },
        help="Customer service's reason for granting the special "
        "approval.")
    special_approved_by = fields.Many2One(
        'res.user', "Specially Approved By", readonly=True)
    special_approved_at = fields.Timestamp(
        "Specially Approved At", readonly=True)
    special = fields.Function(
        fields.Boolean("Special Approval"), 'get_special',
        searcher='search_special')

    approved_by = fields.Many2One('res.user', "Approved By", readonly=True)
    approved_at = fields.Timestamp("Approved At", readonly=True)
    refusal_reason = fields.Text(
        "Refusal Reason",
        states=dict(editable_in('submitted'),
            invisible=~Eval('state').in_(['submitted', 'refused'])))
    form_number = fields.Char(
        "Registration Form Number", readonly=True,
        help="The number of the return registration form that travels "
        "with the goods.")
    return_shipment = fields.Many2One(
        'stock.shipment.out.return', "Return Shipment", readonly=True)

    freight_payer = fields.Selection([
            (None, ""),
            ('company', "Company"),
            ('customer', "Customer"),
            ], "Freight Paid By", readonly=True,
        help="The company for quality returns, the customer for "
        "the others.")
    freight_payer_string = freight_payer.translated('freight_payer')
    freight_cost = fields.Function(fields.Numeric(
            "Freight Cost", digits=(16, Eval('currency_digits', 2)),
            states=editable_in('approved', 'shipped', 'arrived', 'counted')),
        'get_shipment_values', setter='set_shipment_values',
        searcher='search_shipment_values')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    currency_digits = fields.Function(
        fields.Integer("Currency Digits"), 'get_currency_digits')
    carrier = fields.Function(party_field("Carrier", states=_arriving),
        'get_shipment_values', setter='set_shipment_values',
        searcher='search_shipment_values')
    shipped_date = fields.Function(fields.Date(
            "Dispatch Date", states=editable_in('approved')),
        'get_shipment_values', setter='set_shipment_values',
        searcher='search_shipment_values')

    received_form_number = fields.Char(
        "Form Number Received", states=_arriving,
        help="The number on the registration form that came with the "
        "goods: it must match.")
    arrival_date = fields.Date("Arrival Date", states=_arriving)
    count_due = fields.Date(
        "Count Due", readonly=True,
        help="Logistics counts the goods by this day.")
    counted_date = fields.Date("Counted On", states=editable_in('arrived'))
    counted_by = fields.Many2One('res.user', "Counted By", readonly=True)
    disposal_due = fields.Date(
        "Disposal Due", readonly=True,
        help="Every line is disposed by this day.")
    done_date = fields.Date("Disposed On", readonly=True)
    overdue = overdue_field("The count or the disposal is late.")
    credit_notes = fields.Function(
        fields.Many2Many('account.invoice', None, None, "Credit Notes"),
        'get_documents')
    replacement_shipments = fields.Function(
        fields.Many2Many(
            'stock.shipment.out', None, None, "Replacement Shipments"),
        'get_documents')
    dispute = fields.Many2One(
        'aftersales.rma.dispute', "Batch Quality Dispute", readonly=True)
    arrival_refusals = fields.One2Many(
        'aftersales.rma.application.arrival_refusal', 'application',
        "Refused Arrivals", readonly=True,
        help="Goods logistics did not accept, and why.")
    state = state_field(STATES)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.sender, Index.Range()),
                    (t.planned_date, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state.in_(['submitted'] + OPEN_ARRIVAL_STATES)),
                })
        cls._order.insert(0, ('planned_date', 'DESC'))
        cls._order.insert(1, ('number', 'DESC'))
        cls._transitions |= {
            ('draft', 'signed'),
            ('signed', 'draft'),
            ('draft', 'submitted'),
            ('signed', 'submitted'),
            ('submitted', 'approved'),
            ('submitted', 'refused'),
            ('approved', 'shipped'),
            ('approved', 'arrived'),
            ('shipped', 'arrived'),
            ('arrived', 'counted'),
            ('counted', 'done'),
            ('draft', 'cancelled'),
            ('signed', 'cancelled'),
            ('submitted', 'cancelled'),
            ('approved', 'cancelled'),
            ('refused', 'draft'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update(state_buttons(
                sign=['draft'], draft=['signed', 'refused', 'cancelled'],
                submit=['draft', 'signed'], approve=['submitted'],
                refuse=['submitted'], ship=['approved'],
                arrive=['approved', 'shipped'] + UNAPPROVED_STATES,
                refuse_arrival=UNAPPROVED_STATES, count=['arrived'],
                dispose=['counted'],
                cancel=['draft', 'signed', 'submitted', 'approved']))
        cls._buttons['draft']['icon'] = If(
            Eval('state') == 'signed', 'tryton-undo', 'tryton-back')
        cls._buttons['approve_special'] = {
            'invisible': (
                ~Eval('state').in_(['draft', 'signed', 'submitted'])
                | Bool(Eval('special_approved_by'))),
            'depends': ['state', 'special_approved_by'],
            }

    @classmethod
    def default_sender(cls):
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        if user.aftersales_party:
            return user.aftersales_party.id

    @fields.depends('sender', 'sender_address')
    def on_change_sender(self):
        if self.sender and (not self.sender_address
                or self.sender_address.party != self.sender):
            self.sender_address = self.sender.address_get()
        self.on_change_sender_address()

    @fields.depends('sender_address', methods=['on_change_region'])
    def on_change_sender_address(self):
        if self.sender_address and self.sender_address.subdivision:
            self.region = self.sender_address.subdivision
            self.on_change_region()

    @classmethod
    def validate_fields(cls, applications, field_names):
        super().validate_fields(applications, field_names)
        cls.check_date_order(applications, field_names)
        if field_names & {'planned_date', 'region', 'special_request'}:
            cls.check_planned_week(applications)

    @classmethod
    def check_date_order(cls, applications, field_names):
        "Refuse a typed date before a date it follows"
        lang = Pool().get('ir.lang').get()
        pairs = [(e, l) for e, l in DATE_ORDER if {e, l} & field_names]
        for application in applications:
            for earlier, later in pairs:
                first = getattr(application, earlier)
                then = getattr(application, later)
                if first and then and then < first:
                    raise DateOrderError(gettext(
                            'aftersales_rma.msg_application_date_order',
                            application=application.rec_name,
                            later=cls.__names__(later)['field'],
                            later_date=lang.strftime(then),
                            earlier=cls.__names__(earlier)['field'],
                            earlier_date=lang.strftime(first)))

    def get_month(self, name):
        if self.planned_date:
            return self.planned_date.strftime('%Y-%m')

    def get_special(self, name):
        return bool(self.special_approved_by)

    @classmethod
    def search_special(cls, name, clause):
        _, operator, value = clause
        if (operator == '=') == bool(value):
            return [('special_approved_by', '!=', None)]
        return [('special_approved_by', '=', None)]

    def get_currency(self, name):
        return self.company.currency.id

    def get_currency_digits(self, name):
        return self.company.currency.digits

    @classmethod
    def get_documents(cls, applications, names):
        result = {n: {a.id: [] for a in applications} for n in names}
        for application in applications:
            credits, shipments = set(), set()
            for line in application.lines:
                if line.credit_line:
                    credits.add(line.credit_line.invoice.id)
                if line.replacement_move:
                    shipments.add(line.replacement_move.shipment.id)
            if 'credit_notes' in result:
                result['credit_notes'][application.id] = sorted(credits)
            if 'replacement_shipments' in result:
                result['replacement_shipments'][application.id] = sorted(
                    shipments)
        return result

    @classmethod
    def get_shipment_values(cls, applications, names):
        "Read the transport data on the return shipments, a batch at once"
        result = {n: {} for n in names}
        for application in applications:
            shipment = application.return_shipment
            for name in names:
                value = getattr(shipment, SHIPMENT_FIELDS[name], None)
                result[name][application.id] = getattr(value, 'id', value)
        return result

    @classmethod
    def set_shipment_values(cls, applications, name, value):
        "Write the transport data on the return shipments"
        Shipment = Pool().get('stock.shipment.out.return')
        for application in applications:
            if value is not None and not application.return_shipment:
                raise ApplicationError(gettext(
                        'aftersales_rma.msg_application_no_shipment',
                        application=application.rec_name,
                        field=cls.__names__(name)['field']))
        shipments = [a.return_shipment for a in applications
            if a.return_shipment]
        if shipments:
            # The application's access rules guard its transport data
            with without_check_access():
                Shipment.write(shipments, {SHIPMENT_FIELDS[name]: value})

    @classmethod
    def search_shipment_values(cls, name, clause):
        _, operator, *operands = clause
        return [('return_shipment.' + SHIPMENT_FIELDS[name], operator,
                *operands)]

    # --- R4, R5: signature and submission ------------------------------

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    @stamp('signed')
    def sign(cls, applications):
        "The office or regional manager signs the assessment (R4)"
        Line = Pool().get('aftersales.rma.application.line')
        Line.check_lot([l for a in applications for l in a.lines])
        for application in applications:
            if not application.lines:
                raise ApplicationError(gettext(
                        'aftersales_rma.msg_application_no_lines',
                        application=application.rec_name))
        cls.check_written(
            applications, 'assessment', 'msg_application_no_assessment')

    @classmethod
    def check_written(cls, applications, name, message):
        "Raise message for the first application whose text name is blank"
        for application in applications:
            if not (getattr(application, name) or '').strip():
                raise ApplicationError(gettext(
                        f'aftersales_rma.{message}',
                        application=application.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    @reset_stamps('signed', 'submitted', 'approved')
    def draft(cls, applications):
        cls.write(applications, {'refusal_reason': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    @stamp('submitted')
    def submit(cls, applications):
        """Submit to customer service (R4)

        Without the manager's signature the application is refused (R5);
        non-quality lines must qualify (R12); outside a special approval
        the return calendar applies (R6, R11).
        """
        for application in applications:
            if not application.signed_by:
                raise ApplicationError(gettext(
                        'aftersales_rma.msg_application_not_signed',
                        application=application.rec_name))
        lines = [l for a in applications for l in a.lines]
        Line = Pool().get('aftersales.rma.application.line')
        Line.check_lot(lines)
        Line.check_non_quality(lines)
        cls.check_schedule(
            [a for a in applications if not a.special], 'planned_date')
        cls.check_delivered(applications)
        Line.check_warranty(lines)
        for application in applications:
            application.freight_payer = application.get_freight_payer()
        cls.save(applications)

    def get_freight_payer(self):
        "The company pays for quality returns, the customer otherwise (R12)"
        if self.dispute or any(l.reason.quality for l in self.lines):
            return 'company'
        return 'customer'

    # --- R4: no more back than delivered ------------------------------

    @classmethod
    def check_delivered(cls, applications):
        """Refuse lines returning more than was delivered (R4, W7)

        The goods delivered to the sender and the dealers it answers for,
        per product and per lot, less what their other return
        applications bring back, bound each application's lines. Goods
        with no traceable delivery need the special approval (R7).
        """
        if not applications:
            return
        senders = {a.sender for a in applications}
        parties = cls._answered_parties(senders)
        delivered = cls._delivered_quantities(applications, parties)
        returned = cls._returned_quantities(applications, parties)
        for application in applications:
            taken = defaultdict(float)
            for line in application.lines:
                if not line.returns_delivered_goods():
                    continue
                for key in cls._goods_keys(line):
                    taken[key] += line.internal_quantity
                    application._check_delivered_key(
                        line, key, taken[key],
                        delivered[application.sender].get(key, 0),
                        returned[application.sender].get(key, 0))
            for key, quantity in taken.items():
                returned[application.sender][key] = (
                    returned[application.sender].get(key, 0) + quantity)

    def _check_delivered_key(self, line, key, quantity, delivered, returned):
        product, lot = key
        goods = (lot or product).rec_name
        if not delivered:
            if not self.special:
                raise ApplicationError(gettext(
                        'aftersales_rma.msg_return_untraceable',
                        line=line.rec_name, goods=goods,
                        sender=self.sender.rec_name))
            return
        uom = product.default_uom
        if uom.round(quantity + returned) > uom.round(delivered):
            raise ApplicationError(gettext(
                    'aftersales_rma.msg_return_exceeds_delivered',
                    line=line.rec_name, goods=goods,
                    quantity=uom.round(quantity),
                    delivered=uom.round(delivered),
                    returned=uom.round(returned),
                    sender=self.sender.rec_name))

    @classmethod
    def _answered_parties(cls, senders):
        "Return {sender: set of the sender and the dealers it answers for}"
        Party = Pool().get('party.party')
        parties = {s: {s} for s in senders}
        downstream = Party.search([
                ('upstream', 'child_of', [s.id for s in senders],
                    'upstream'),
                ])
        for party in downstream:
            for responsible in party.responsible_chain():
                if responsible in parties:
                    parties[responsible].add(party)
        return parties

    @classmethod
    def _delivered_quantities(cls, applications, parties):
        """Return {sender: {(product, lot or None): quantity delivered}}

        The done customer shipments' moves of the lines' products, in
        their product's unit, in one query per slice of parties.
        """
        Move = Pool().get('stock.move')
        products = list({l.product.id for a in applications for l in a.lines})
        by_customer = defaultdict(lambda: defaultdict(float))
        for customers in cls._party_slices(parties):
            moves = Move.search([
                    ('shipment.customer', 'in', customers,
                        'stock.shipment.out'),
                    ('product', 'in', products),
                    ('state', '=', 'done'),
                    ('to_location.type', '=', 'customer'),
                    ])
            for move in moves:
                quantities = by_customer[move.shipment.customer]
                for key in cls._goods_keys(move):
                    quantities[key] += move.internal_quantity
        return cls._sum_by_sender(parties, by_customer)

    @classmethod
    def _returned_quantities(cls, applications, parties):
        """Return {sender: {(product, lot or None): quantity returned}}

        The lines of the other applications of those parties that have
        been submitted and not cancelled or refused; a counted line
        brought back its received quantity (R8).
        """
        Line = Pool().get('aftersales.rma.application.line')
        products = list({l.product.id for a in applications for l in a.lines})
        by_sender = defaultdict(lambda: defaultdict(float))
        for customers in cls._party_slices(parties):
            lines = Line.search([
                    ('application.sender', 'in', customers),
                    ('application.state', 'in', MONTH_STATES),
                    ('application', 'not in', [a.id for a in applications]),
                    ('product', 'in', products),
                    ])
            for line in lines:
                quantities = by_sender[line.application.sender]
                quantity = line.internal_quantity
                if line.received_quantity is not None:
                    quantity = line.internal_received_quantity
                for key in cls._goods_keys(line):
                    quantities[key] += quantity
        return cls._sum_by_sender(parties, by_sender)

    @staticmethod
    def _goods_keys(record):
        """Return the keys counting the goods of record (a line or a move):
        its product, and its product's lot if it has one"""
        keys = [(record.product, None)]
        if record.lot:
            keys.append((record.product, record.lot))
        return keys

    @staticmethod
    def _party_slices(parties):
        """Yield the ids of the parties of {sender: parties} in lists short
        enough for one query"""
        ids = list({p.id for ps in parties.values() for p in ps})
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            yield list(sub_ids)

    @staticmethod
    def _sum_by_sender(parties, by_party):
        result = {}
        for sender, members in parties.items():
            total = defaultdict(float)
            for party in members:
                for key, quantity in by_party.get(party, {}).items():
                    total[key] += quantity
            result[sender] = total
        return result

    # --- R7: the special approval --------------------------------------

    @classmethod
    @ModelView.button
    @stamp('special_approved')
    def approve_special(cls, applications):
        "Customer service grants a special approval with its reason (R7)"
        cls.check_written(
            [a for a in applications if not a.special_approved_by],
            'special_reason', 'msg_special_no_reason')

    # --- approval ------------------------------------------------------

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    @stamp('approved')
    def approve(cls, applications):
        "Approve: number the registration form, create the return shipment"
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        cls.check_delivered(applications)
        for application in applications:
            application.form_number = Configuration.next_number(
                'rma_form_sequence', application.company.id)
        cls.save(applications)
        cls.create_return_shipments(applications)

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    def refuse(cls, applications):
        cls.check_written(
            applications, 'refusal_reason', 'msg_refusal_no_reason')

    @classmethod
    def create_return_shipments(cls, applications):
        """Create the customer return shipments into the returns location

        The goods come back through Tryton's own return flow: one
        stock.shipment.out.return per application, one incoming move per
        line.
        """
        pool = Pool()
        Shipment = pool.get('stock.shipment.out.return')
        Line = pool.get('aftersales.rma.application.line')
        Configuration = pool.get('aftersales.configuration')
        configuration = Configuration(1)
        places = {}
        shipments = []
        for application in applications:
            company = application.company
            if company not in places:
                places[company] = configuration.get_return_places(company)
            warehouse, location = places[company]
            shipment = Shipment(
                company=company,
                customer=application.sender,
                contact_address=application.sender_address,
                warehouse=warehouse,
                warehouse_input=warehouse.input_location,
                warehouse_storage=location,
                planned_date=application.planned_date,
                reference=application.number)
            shipment.moves = [
                line.get_return_move(shipment) for line in application.lines]
            shipments.append(shipment)
        save_links(applications, 'return_shipment', shipments)
        lines = []
        for application, shipment in zip(applications, shipments):
            for line, move in zip(application.lines, shipment.moves):
                line.return_move = move
                lines.append(line)
        Line.save(lines)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, applications):
        Shipment = Pool().get('stock.shipment.out.return')
        Shipment.cancel([a.return_shipment for a in applications
                if a.return_shipment])

    # --- dispatch and arrival (R5, R6, R8) -----------------------------

    @classmethod
    @ModelView.button
    @Workflow.transition('shipped')
    def ship(cls, applications):
        "Dispatch inside the region's week unless specially approved (R6)"
        today = Pool().get('ir.date').today()
        for application in applications:
            if not application.shipped_date:
                application.shipped_date = today
        cls.check_schedule(
            [a for a in applications if not a.special], 'shipped_date')
        cls.save(applications)

    @classmethod
    @ModelView.button
    def arrive(cls, applications):
        """Receive the goods at the factory (R5)

        Goods of an application customer service has not approved are
        refused with the reason; logistics records the refusal with
        refuse_arrival.
        """
        for application in applications:
            if application.state in UNAPPROVED_STATES:
                raise ArrivalError(gettext(
                        'aftersales_rma.msg_arrival_not_approved',
                        application=application.rec_name,
                        state=application.state_string))
        cls.accept_arrival(applications)

    @classmethod
    @Workflow.transition('arrived')
    def accept_arrival(cls, applications):
        """Accept the goods and set the deadlines

        Goods whose registration form does not match are not accepted;
        the count is due by the next day (R8), the disposal within 3
        days (R10).
        """
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        Date = pool.get('ir.date')
        configuration = Configuration(1)
        today = Date.today()
        for application in applications:
            received = (application.received_form_number or '').strip()
            if received != application.form_number:
                raise ArrivalError(gettext(
                        'aftersales_rma.msg_arrival_form_number',
                        application=application.rec_name,
                        received=received or '-',
                        expected=application.form_number))
            arrival = application.arrival_date or today
            application.arrival_date = arrival
            application.count_due = within_days(
                arrival, configuration.count_days)
            application.disposal_due = within_days(
                arrival, configuration.disposal_days)
        cls.save(applications)

    @classmethod
    @ModelView.button
    def refuse_arrival(cls, applications):
        """Record that goods arrived for an unapproved application (R5)

        The goods are not accepted; the refusal is recorded on the
        application with who, when and why, so the office is told. It is
        its own step, a button that writes and does not fail, so the
        record stays.
        """
        Refusal = Pool().get('aftersales.rma.application.arrival_refusal')
        stamps = stamp_values(Refusal, 'refused')
        Refusal.save([Refusal(
                    application=a, application_state=a.state,
                    reason='not_approved', **stamps)
                for a in applications])

    @classmethod
    @ModelView.button
    @Workflow.transition('counted')
    @stamp('counted')
    def count(cls, applications):
        """Record the count: the received quantity prevails (R8)

        The return shipment's incoming moves take the received quantities,
        then the shipment is received and put away in the returns location.
        """
        pool = Pool()
        Date = pool.get('ir.date')
        Move = pool.get('stock.move')
        Shipment = pool.get('stock.shipment.out.return')
        today = Date.today()
        moves = []
        for application in applications:
            for line in application.lines:
                if line.received_quantity is None:
                    raise ArrivalError(gettext(
                            'aftersales_rma.msg_count_missing',
                            application=application.rec_name,
                            line=line.rec_name))
                move = line.return_move
                if move and move.quantity != line.received_quantity:
                    move.quantity = line.received_quantity
                    moves.append(move)
            application.counted_date = application.counted_date or today
        Move.save(moves)
        cls.save(applications)
        shipments = [a.return_shipment for a in applications
            if a.return_shipment]
        Shipment.receive([s for s in shipments if s.state == 'draft'])
        Shipment.do(Shipment.browse([s.id for s in shipments]))

    # --- disposition (R9, R10) -----------------------------------------

    @classmethod
    @ModelView.button
    def dispose(cls, applications):
        "Dispose every line still pending (R9)"
        Line = Pool().get('aftersales.rma.application.line')
        Line.dispose(Line.search([
                    ('application', 'in', [a.id for a in applications]),
                    ('disposition_state', '=', 'pending'),
                    ]))

    @classmethod
    @Workflow.transition('done')
    def process(cls, applications):
        today = Pool().get('ir.date').today()
        cls.write(applications, {'done_date': today})

    def _get_invoice(self):
        "Return the draft credit note of the application (not saved)"
        Invoice = Pool().get('account.invoice')
        sender = self.sender
        invoice = Invoice(
            company=self.company,
            type='out',
            party=sender,
            invoice_address=sender.address_get(type='invoice'),
            currency=self.company.currency,
            account=sender.account_receivable_used,
            payment_term=sender.customer_payment_term,
            description=gettext(
                'aftersales_rma.msg_credit_note_description',
                application=self.number),
            reference=self.form_number)
        invoice.set_journal()
        return invoice

    def _get_replacement_shipment(self):
        "Return the replacement shipment of the application (not saved)"
        pool = Pool()
        Shipment = pool.get('stock.shipment.out')
        Configuration = pool.get('aftersales.configuration')
        Date = pool.get('ir.date')
        warehouse, _ = Configuration(1).get_return_places(self.company)
        return Shipment(
            company=self.company,
            customer=self.sender,
            delivery_address=(self.sender_address
                or self.sender.address_get(type='delivery')),
            warehouse=warehouse,
            warehouse_storage=warehouse.storage_location,
            warehouse_output=warehouse.output_location,
            planned_date=Date.today(),
            reference=self.number)

    # --- R10: the deadline ---------------------------------------------

    @classmethod
    def _overdue_domain(cls, date):
        "The arrived returns not counted (R8) or disposed (R10) in time"
        return [
            ('state', 'in', OPEN_ARRIVAL_STATES),
            ['OR',
                ('disposal_due', '<', date),
                [
                    ('state', '=', 'arrived'),
                    ('count_due', '<', date),
                    ],
                ],
            ]


class ArrivalRefusal(ModelSQL, ModelView):
    "Refused Arrival of a Return"
    __name__ = 'aftersales.rma.application.arrival_refusal'
    __string__ = "Refused Arrival of a Return"

    application = owner_field(
        'aftersales.rma.application', "Application", readonly=True)
    refused_by = fields.Many2One(
        'res.user', "Refused By", required=True, readonly=True)
    refused_at = fields.Timestamp("Refused At", required=True, readonly=True)
    application_state = fields.Selection(
        STATES, "Application State", required=True, readonly=True,
        help="The state of the application when the goods arrived.")
    application_state_string = application_state.translated(
        'application_state')
    reason = fields.Selection([
            ('not_approved', "Not approved by customer service"),
            ], "Reason", required=True, readonly=True)
    reason_string = reason.translated('reason')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('application')
        cls._order.insert(0, ('refused_at', 'DESC'))


class ApplicationLine(CopyResetMixin, ModelSQL, ModelView):
    "Return Application Line"
    __name__ = 'aftersales.rma.application.line'
    __string__ = "Return Application Line"
    _copy_reset = [
        'warranty_covered', 'warranty_answer', 'return_move',
        'received_quantity', 'condition', 'count_note', 'exchange_quantity',
        'credit_quantity', 'reject_quantity', 'reject_reason',
        'disposition_state', 'disposed_by', 'disposed_at']

    application = owner_field(
        'aftersales.rma.application', "Application", states=_line_draft)
    application_state = fields.Function(
        fields.Selection(STATES, "Application State"),
        'get_parent_values')
    product = fields.Many2One(
        'product.product', "Product", required=True,
        domain=[('type', '=', 'goods')],
        states=_line_draft)
    lot = fields.Many2One(
        'stock.lot', "Lot",
        domain=[('product', '=', Eval('product', -1))],
        states=dict(_line_draft,
            required=(Bool(Eval('lot_required'))
                & (Eval('application_state') != 'draft'))),
        help="Required for products tracked by lot once the application "
        "is signed: the goods are put in stock with it.")
    lot_required = fields.Function(
        fields.Boolean("Lot Required"), 'get_parent_values')
    quantity = fields.Float(
        "Quantity", digits='unit', required=True,
        domain=[('quantity', '>', 0)],
        states=_line_draft)
    unit = fields.Many2One(
        'product.uom', "Unit", required=True,
        domain=[
            If(Eval('product_uom_category'),
                ('category', '=', Eval('product_uom_category', -1)),
                ('category', '!=', -1)),
            ],
        states=_line_draft)
    product_uom_category = fields.Function(
        fields.Many2One('product.uom.category', "Product UoM Category"),
        'get_parent_values')
    reason = fields.Many2One(
        'aftersales.rma.reason', "Reason", required=True,
        states=_line_draft)
    description = fields.Char(
        "Fault Description",
        states=_line_draft)
    cause = fields.Many2One(
        'aftersales.warranty.cause', "Cause of the Defect", required=True,
        states=_line_draft)
    delivery_date = fields.Date(
        "Delivered On",
        states=dict(_line_draft, required=~Eval('reason_quality', True)),
        help="When the goods were delivered to the sender: the warranty "
        "check and the return period of non-quality returns count from it.")
    unused = fields.Boolean(
        "Unused",
        states=dict(_line_draft, invisible=Eval('reason_quality', True)))
    intact_packaging = fields.Boolean(
        "Intact Packaging",
        states=dict(_line_draft, invisible=Eval('reason_quality', True)))
    reason_quality = fields.Function(
        fields.Boolean("Quality Return"), 'get_parent_values')
    warranty_covered = fields.Boolean("Under Warranty", readonly=True)
    warranty_answer = fields.Text("Warranty Check", readonly=True)

    return_move = fields.Many2One('stock.move', "Return Move", readonly=True)
    received_quantity = fields.Float(
        "Received Quantity", digits='unit',
        domain=['OR',
            ('received_quantity', '=', None),
            ('received_quantity', '>=', 0)],
        states=dict(_line_arrived,
            required=Eval('application_state') == 'counted'))
    condition = fields.Selection([
            (None, ""),
            ('intact', "Intact"),
            ('packaging_damaged', "Packaging Damaged"),
            ('damaged', "Damaged in Transit"),
            ], "Condition on Arrival",
        states=_line_arrived)
    count_note = fields.Char(
        "Count Note",
        states=_line_arrived)
    difference = fields.Function(
        fields.Float("Difference", digits='unit',
            help="Received minus claimed: the received count prevails."),
        'get_difference')
    count_result = fields.Function(
        fields.Selection([
                (None, ""),
                ('match', "As Claimed"),
                ('surplus', "Surplus"),
                ('shortage', "Shortage"),
                ], "Count Result"),
        'get_difference')
    count_result_string = count_result.translated('count_result')

    exchange_quantity = fields.Float(
        "Exchange", digits='unit',
        domain=['OR',
            ('exchange_quantity', '=', None),
            ('exchange_quantity', '>=', 0)],
        states=_line_pending)
    credit_quantity = fields.Float(
        "Credit", digits='unit',
        domain=['OR',
            ('credit_quantity', '=', None),
            ('credit_quantity', '>=', 0)],
        states=_line_pending)
    unit_price = fields.Numeric(
        "Credit Unit Price", digits=price_digits,
        states=dict(_line_pending, required=Eval('credit_quantity', 0) > 0))
    reject_quantity = fields.Float(
        "Reject", digits='unit',
        domain=['OR',
            ('reject_quantity', '=', None),
            ('reject_quantity', '>=', 0)],
        states=_line_pending)
    reject_reason = fields.Char(
        "Reject Reason",
        states=dict(_line_pending, required=Eval('reject_quantity', 0) > 0))
    disposition_state = fields.Selection([
            ('pending', "Pending"),
            ('disposed', "Disposed"),
            ], "Disposition", readonly=True, required=True)
    disposed_by = fields.Many2One('res.user', "Disposed By", readonly=True)
    disposed_at = fields.Timestamp("Disposed At", readonly=True)
    credit_line = fields.Function(fields.Many2One(
            'account.invoice.line', "Credit Note Line"), 'get_documents')
    replacement_move = fields.Function(fields.Many2One(
            'stock.move', "Replacement Move"), 'get_documents')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('application')
        cls._order.insert(0, ('application', 'ASC'))
        cls._order.insert(1, ('id', 'ASC'))
        cls._buttons.update({
                'dispose': {
                    # A disposed line keeps the button to say when and by
                    # whom it was disposed
                    'invisible': ~Eval('application_state').in_(
                        ['counted', 'done']),
                    'depends': ['application_state'],
                    },
                })

    @classmethod
    def default_disposition_state(cls):
        return 'pending'

    @classmethod
    def default_unused(cls):
        return False

    @classmethod
    def default_cause(cls):
        return Pool().get('aftersales.warranty.cause').quality_fault()

    @classmethod
    def default_intact_packaging(cls):
        return False

    @fields.depends('application', '_parent_application.state')
    def on_change_with_application_state(self, name=None):
        if self.application:
            return self.application.state

    @fields.depends('product')
    def on_change_with_product_uom_category(self, name=None):
        if self.product:
            return self.product.default_uom_category

    @fields.depends('product')
    def on_change_with_lot_required(self, name=None):
        if self.product:
            return self._lot_required(self.product.lot_required)
        return False

    @staticmethod
    def _lot_required(product_lot_required):
        "The return moves go from a customer to a storage location"
        return bool({'customer', 'storage'} & set(product_lot_required or []))

    @fields.depends('reason')
    def on_change_with_reason_quality(self, name=None):
        return self.reason.quality if self.reason else True

    @classmethod
    def get_parent_values(cls, lines, names):
        """Return the function fields that the lines take from their
        application, product and reason, as their on_change_with methods
        do, read once for all the lines: a write validates the fields that
        depend on them on every line"""
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Product = pool.get('product.product')
        Reason = pool.get('aftersales.rma.reason')
        rows = cls.read(
            [l.id for l in lines], ['application', 'product', 'reason'])

        def read(Model, name, fields_names):
            ids = list({r[name] for r in rows} - {None})
            return {v['id']: v for v in Model.read(ids, fields_names)}
        applications = read(Application, 'application', ['state'])
        products = read(
            Product, 'product', ['default_uom_category', 'lot_required'])
        reasons = read(Reason, 'reason', ['quality'])
        values = {n: {} for n in names}
        for row in rows:
            id_ = row['id']
            application = applications.get(row['application'])
            product = products.get(row['product'])
            reason = reasons.get(row['reason'])
            result = {
                'application_state': application and application['state'],
                'product_uom_category': (
                    product and product['default_uom_category']),
                'lot_required': bool(product) and cls._lot_required(
                    product['lot_required']),
                'reason_quality': reason['quality'] if reason else True,
                }
            for name in names:
                values[name][id_] = result[name]
        return values

    @fields.depends('product', 'unit', 'lot')
    def on_change_product(self):
        if self.product:
            category = self.product.default_uom_category
            if not self.unit or self.unit.category != category:
                self.unit = self.product.default_uom
            if self.lot and self.lot.product != self.product:
                self.lot = None
            self.unit_price = self.product.list_price_used

    @fields.depends('lot', 'product', methods=['on_change_product'])
    def on_change_lot(self):
        if self.lot and self.product != self.lot.product:
            self.product = self.lot.product
            self.on_change_product()

    def get_rec_name(self, name):
        return '%s %s @ %s' % (
            self.quantity, self.product.rec_name, self.application.rec_name)

    def returns_delivered_goods(self):
        """Whether the line brings back goods delivered to the sender, so
        bound by the deliveries (R4)

        Extending modules return False for goods that come back by
        another way."""
        return True

    def _internal(self, quantity):
        "Return quantity of the line's unit in the product's unit"
        Uom = Pool().get('product.uom')
        return Uom.compute_qty(
            self.unit, quantity, self.product.default_uom, round=False)

    @property
    def internal_quantity(self):
        return self._internal(self.quantity)

    @property
    def internal_received_quantity(self):
        return self._internal(self.received_quantity)

    @classmethod
    def get_difference(cls, lines, names):
        result = {n: {} for n in names}
        for line in lines:
            difference = result_ = None
            if line.received_quantity is not None:
                difference = line.unit.round(
                    line.received_quantity - line.quantity)
                result_ = ('surplus' if difference > 0
                    else 'shortage' if difference < 0 else 'match')
            if 'difference' in result:
                result['difference'][line.id] = difference
            if 'count_result' in result:
                result['count_result'][line.id] = result_
        return result

    @classmethod
    def get_documents(cls, lines, names):
        "The credit note line and replacement move whose origin is the line"
        pool = Pool()
        InvoiceLine = pool.get('account.invoice.line')
        Move = pool.get('stock.move')
        result = {n: {l.id: None for l in lines} for n in names}
        origins = ['%s,%s' % (cls.__name__, l.id) for l in lines]
        for name, Model, domain in [
                ('credit_line', InvoiceLine, [('invoice', '!=', None)]),
                ('replacement_move', Move, [('shipment', 'like',
                            'stock.shipment.out,%')]),
                ]:
            if name not in result:
                continue
            records = []
            for sub_origins in grouped_slice(
                    origins, backend.MAX_QUERY_PARAMS):
                records.extend(Model.search([
                            ('origin', 'in', list(sub_origins)),
                            ] + domain))
            for record in records:
                result[name][record.origin.id] = record.id
        return result

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if 'delivery_date' in field_names:
            cls.check_delivery_date(lines)

    @classmethod
    def check_delivery_date(cls, lines):
        "Refuse goods delivered after the application returning them"
        lang = Pool().get('ir.lang').get()
        for line in lines:
            date = line.application.date
            if line.delivery_date and line.delivery_date > date:
                raise DateOrderError(gettext(
                        'aftersales_rma.msg_line_delivered_after',
                        line=line.rec_name,
                        delivery_date=lang.strftime(line.delivery_date),
                        date=lang.strftime(date)))

    @classmethod
    def check_non_quality(cls, lines):
        """A return for another reason than quality qualifies only unused,
        in intact packaging and inside the return period (R12)"""
        Configuration = Pool().get('aftersales.configuration')
        days = Configuration(1).non_quality_return_days
        for line in lines:
            if line.reason.quality:
                continue
            application = line.application
            if not (line.unused and line.intact_packaging):
                raise ApplicationError(gettext(
                        'aftersales_rma.msg_non_quality_used',
                        line=line.rec_name, reason=line.reason.rec_name))
            until = within_days(line.delivery_date, days)
            if application.date > until:
                raise ApplicationError(gettext(
                        'aftersales_rma.msg_non_quality_period',
                        line=line.rec_name, delivered=line.delivery_date,
                        until=until, days=days))

    @classmethod
    def check_lot(cls, lines):
        "Refuse lines of products tracked by lot without their lot"
        for line in lines:
            if line.lot_required and not line.lot:
                raise ApplicationError(gettext(
                        'aftersales_rma.msg_line_lot_required',
                        line=line.rec_name,
                        product=line.product.rec_name))

    def to_claim(self):
        return Claim(
            claim_date=self.application.date, claimant='dealer',
            product=self.product, lot=self.lot,
            purchase_date=self.delivery_date, cause=self.cause)

    @classmethod
    def check_warranty(cls, lines):
        """Store the warranty check's answer on each line

        One batched call of the warranty check answers every line; a line
        the check cannot answer (no purchase date where the policy needs
        one) stores the reason instead of stopping the others.
        """
        Policy = Pool().get('aftersales.warranty.policy')
        if not lines:
            return
        results = Policy.answer([l.to_claim() for l in lines])
        for line, answers in zip(lines, results):
            if isinstance(answers, ClaimError):
                line.warranty_covered = False
                line.warranty_answer = answers.message
                continue
            window = [a for a in answers if a.component is None]
            main = window[0] if window else answers[0]
            line.warranty_covered = main.covered
            line.warranty_answer = '\n'.join(
                ('%s: %s' % (a.component.rec_name, a.reason)
                    if a.component else a.reason) for a in answers)
        cls.save(lines)

    def get_return_move(self, shipment):
        "Return the incoming move bringing this line back (not saved)"
        Move = Pool().get('stock.move')
        return Move(
            product=self.product,
            lot=self.lot,
            quantity=self.quantity,
            unit=self.unit,
            from_location=self.application.sender.customer_location,
            to_location=shipment.warehouse_input,
            company=self.application.company,
            unit_price=self.unit_price or Decimal(0),
            currency=self.application.company.currency,
            planned_date=self.application.planned_date,
            origin=self)

    @classmethod
    @ModelView.button
    def dispose(cls, lines):
        """Exchange, credit or reject each line (R9)

        The lines are locked first and their state read again, so two
        users disposing the same line at once cannot both succeed and no
        credit is issued twice. Credit notes and replacement shipments are
        created per application, in lists, so the queries do not grow
        with the number of lines.
        """
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        if not lines:
            return
        # Another transaction may have disposed them before the lock
        lines = lock_and_read(cls, lines)
        for line in lines:
            line.check_disposable()
        by_application = defaultdict(list)
        for line in lines:
            by_application[line.application].append(line)
        cls._create_credit_notes(by_application)
        cls._create_replacements(by_application)
        # One write marks the lines disposed and stamps who and when
        cls.write(lines, {
                'disposition_state': 'disposed',
                **stamp_values(cls, 'disposed')})
        pending = {l['application'] for l in cls.search_read([
                    ('application', 'in', [a.id for a in by_application]),
                    ('disposition_state', '=', 'pending'),
                    ], fields_names=['application'])}
        Application.process([a for a in by_application
                if a.id not in pending])

    def check_disposable(self):
        if self.disposition_state != 'pending':
            lang = Pool().get('ir.lang').get()
            raise DispositionError(gettext(
                    'aftersales_rma.msg_dispose_already',
                    line=self.rec_name,
                    date=lang.strftime(self.disposed_at, '%x %H:%M'),
                    user=self.disposed_by.rec_name))
        if self.application.state != 'counted':
            raise DispositionError(gettext(
                    'aftersales_rma.msg_dispose_not_counted',
                    line=self.rec_name,
                    application=self.application.rec_name))
        quantities = [self.exchange_quantity or 0, self.credit_quantity or 0,
            self.reject_quantity or 0]
        total = self.unit.round(sum(quantities))
        if total != self.unit.round(self.received_quantity or 0):
            raise DispositionError(gettext(
                    'aftersales_rma.msg_dispose_quantities',
                    line=self.rec_name, total=total,
                    received=self.received_quantity))
        if self.reject_quantity and not (self.reject_reason or '').strip():
            raise DispositionError(gettext(
                    'aftersales_rma.msg_dispose_reject_reason',
                    line=self.rec_name))
        if self.credit_quantity and self.unit_price is None:
            raise DispositionError(gettext(
                    'aftersales_rma.msg_dispose_credit_price',
                    line=self.rec_name))

    @classmethod
    def _create_credit_notes(cls, by_application):
        """One credit note per application for its credited lines

        Each credit line's origin is its application line. The taxes are
        computed once, after the lines are saved: saved with their credit
        note, the lines would be validated again through it and the taxes
        computed twice.
        """
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        invoices = cls._create_documents(
            by_application, 'credit_quantity',
            Invoice, Application._get_invoice,
            InvoiceLine, cls._get_invoice_line)
        Invoice.update_taxes(invoices)

    @classmethod
    def _create_replacements(cls, by_application):
        """One replacement customer shipment per application, its moves
        already at the shipment's planned date"""
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Move = pool.get('stock.move')
        Shipment = pool.get('stock.shipment.out')
        cls._create_documents(
            by_application, 'exchange_quantity',
            Shipment, Application._get_replacement_shipment,
            Move, cls._get_replacement_move)

    @staticmethod
    def _create_documents(
            by_application, quantity, Document, get_document, Line, get_line):
        """Create one document per application for its lines with a
        quantity of that name, and return the documents

        get_document(application) builds a document, get_line(line,
        document) one of its lines. The documents are saved first and their
        lines after, all in one list.
        """
        grouped = {}
        for application, lines in by_application.items():
            if lines := [l for l in lines if getattr(l, quantity)]:
                grouped[application] = lines
        documents = [get_document(a) for a in grouped]
        Document.save(documents)
        Line.save([get_line(l, document)
                for document, lines in zip(documents, grouped.values())
                for l in lines])
        return documents

    def _get_invoice_line(self, invoice):
        "Return the line (unsaved) of invoice crediting the credit quantity"
        InvoiceLine = Pool().get('account.invoice.line')
        line = InvoiceLine(
            invoice=invoice,
            company=invoice.company,
            currency=invoice.currency,
            type='line',
            product=self.product,
            description=self.product.rec_name,
            quantity=-self.credit_quantity,
            unit=self.unit,
            unit_price=self.unit_price,
            account=self.product.account_revenue_used,
            taxes=self.product.customer_taxes_used,
            origin=self)
        return line

    def _get_replacement_move(self, shipment):
        "Return the move (unsaved) of shipment exchanging the line"
        Move = Pool().get('stock.move')
        return Move(
            shipment=shipment,
            product=self.product,
            quantity=self.exchange_quantity,
            unit=self.unit,
            from_location=shipment.warehouse_output,
            to_location=shipment.customer.customer_location,
            company=shipment.company,
            unit_price=self.unit_price or Decimal(0),
            currency=shipment.company.currency,
            planned_date=shipment.planned_date,
            origin=self)


class RegistrationForm(AftersalesReport):
    "Return Registration Form"
    __name__ = 'aftersales.rma.application.registration_form'


class Receipt(AftersalesReport):
    "Return Receipt"
    __name__ = 'aftersales.rma.application.receipt'
