"The authorized repair point, its coverage and its file"
from collections import defaultdict
from decimal import Decimal

from sql import Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.aftersales_warranty.party import (
    DEALER_ROLES, OFFICE_ROLES)
from trytond.modules.aftersales_warranty.report import AftersalesReport
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.modules.aftersales_warranty.document import (
    CurrencyMixin, DocumentMixin, owner_field, search_rec_name_in,
    state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import (
    editable_in, readonly_in)
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.aftersales_warranty.stamp import stamp

from .configuration import company_values
from .exceptions import DepositError, StockError
from .part import PartLevelMixin

SQL_IN = fields.SQL_OPERATORS['in']

STATES = [
    ('applied', "Applied"),
    ('approved', "Approved"),
    ('refused', "Refused"),
    ('suspended', "Suspended"),
    ('closed', "Closed"),
    ]

_applied = editable_in('applied')


class Point(CurrencyMixin, DocumentMixin, NumberedMixin, Workflow, ModelSQL,
        ModelView):
    __string__ = "Repair Point"
    __name__ = 'aftersales.repair.point'
    _muted_states = ['refused', 'closed']
    _number_sequence = 'repair_point_sequence'
    _initial_state = 'applied'
    _deletable_states = ['applied', 'refused']
    _copy_reset = ['proposed_by', 'application_date', 'approved_by',
        'approved_at', 'location', 'faulty_location', 'parts',
        'deposit_rate', 'deposit_amount', 'deposit_invoice']

    party = party_field(
        "Repair Point", required=True, states=_applied,
        domain=[('aftersales_role', 'in', DEALER_ROLES)],
        help="The outlet that repairs: an existing strong dealer, "
        "preferably a franchise store.")
    office = party_field(
        "Office", required=True, states=_applied,
        domain=[('aftersales_role', 'in', OFFICE_ROLES)],
        help="The branch office or logistics partner that applies for the "
        "point, swaps its parts and collects its returns.")
    proposed_by = fields.Many2One(
        'res.user', "Proposed By", required=True, states=_applied,
        help="The office or regional manager who filed the application.")
    application_date = fields.Date(
        "Application Date", required=True, states=_applied)
    address = fields.Many2One(
        'party.address', "Address", required=True, states=_applied,
        domain=[('party', '=', Eval('party', -1))])
    market = fields.Char(
        "Lighting Market", required=True, states=_applied,
        help="The lighting market the point is located in.")
    coverage = fields.Many2Many(
        'aftersales.repair.point-country.subdivision', 'point',
        'subdivision', "Coverage Area", states=_applied,
        help="The provinces and cities whose customers the point serves.")
    annual_sales = Monetary(
        "Coverage Annual Sales", currency='currency', digits='currency',
        required=True, states=_applied,
        domain=[('annual_sales', '>=', 0)],
        help="The yearly sales of the coverage area: they give its scale.")
    scale = fields.Many2One(
        'aftersales.repair.scale', "Sales Scale", required=True,
        states=_applied,
        domain=[('company', '=', Eval('company', -1))],
        help="The scale sizes the initial parts stock.")
    remarks = fields.Text("Application Remarks", states=_applied)
    approved_by = fields.Many2One('res.user', "Approved By", readonly=True)
    approved_at = fields.Timestamp("Approved At", readonly=True)

    location = fields.Many2One(
        'stock.location', "Consignment Location", readonly=True,
        help="The point's own stock of consigned parts.")
    faulty_location = fields.Many2One(
        'stock.location', "Faulty Parts Location", readonly=True,
        help="The faulty parts the point took in, waiting for the "
        "old-for-new exchange or the monthly return.")
    parts = fields.One2Many(
        'aftersales.repair.point.part', 'point', "Parts",
        states=readonly_in('closed'))
    deposit_rate = fields.Numeric(
        "Deposit Rate", digits=(4, 4), readonly=True)
    deposit_amount = Monetary(
        "Deposit", currency='currency', digits='currency', readonly=True)
    deposit_invoice = fields.Many2One(
        'account.invoice', "Deposit Invoice", readonly=True)
    deposit_paid = fields.Function(
        fields.Boolean("Deposit Paid"), 'get_deposit_paid')

    repairs = fields.One2Many(
        'aftersales.repair.order', 'point', "Repairs", readonly=True)
    requisitions = fields.One2Many(
        'aftersales.repair.requisition', 'point', "Requisitions",
        readonly=True)
    exchanges = fields.One2Many(
        'aftersales.repair.exchange', 'point', "Old-for-New Exchanges",
        readonly=True)
    compensations = fields.One2Many(
        'aftersales.repair.compensation', 'point', "Compensation Schemes",
        readonly=True)
    visits = fields.One2Many(
        'aftersales.repair.visit', 'point', "Visits", readonly=True)
    disputes = fields.One2Many(
        'aftersales.repair.dispute', 'point', "Disputes", readonly=True)
    settlement_lines = fields.Function(
        fields.Many2Many(
            'aftersales.repair.settlement.line', None, None, "Settlements"),
        'get_settlement_lines')
    repair_count = fields.Function(
        fields.Integer("Repairs Done"), 'get_file')
    free_repair_count = fields.Function(
        fields.Integer("In Warranty"), 'get_file')
    charged_repair_count = fields.Function(
        fields.Integer("Charged"), 'get_file')
    exchanged_count = fields.Function(
        fields.Integer("Exchanged or Refunded"), 'get_file')
    parts_used = fields.Function(
        fields.Float("Parts Used"), 'get_file')
    open_dispute_count = fields.Function(
        fields.Integer("Open Disputes"), 'get_file')
    compensation_paid = fields.Function(
        Monetary("Compensation Paid", currency='currency',
            digits='currency'), 'get_compensation_paid')
    state = state_field(STATES)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Range())),
                Index(t, (t.office, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                })
        cls._order = [
            ('application_date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('applied', 'approved'),
            ('applied', 'refused'),
            ('approved', 'suspended'),
            ('suspended', 'approved'),
            ('approved', 'closed'),
            ('suspended', 'closed'),
            }
        cls._buttons.update(state_buttons(
                approve=['applied', 'suspended'], refuse=['applied'],
                suspend=['approved'], close=['approved', 'suspended'],
                propose_replenishment=['approved']))

    @classmethod
    def _list_visual(cls):
        visual, depends = super()._list_visual()
        return If(Eval('state') == 'suspended', 'warning', visual), depends

    @classmethod
    def default_proposed_by(cls):
        return Transaction().user or None

    @classmethod
    def default_application_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('party')
    def on_change_party(self):
        self.address = self.party.address_get() if self.party else None

    @fields.depends('company', 'annual_sales')
    def on_change_annual_sales(self):
        Scale = Pool().get('aftersales.repair.scale')
        if self.company and self.annual_sales is not None:
            self.scale = Scale.for_sales(self.company, self.annual_sales)

    def get_rec_name(self, name):
        if self.number:
            return f'{self.number} {self.party.rec_name}'
        return self.party.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return search_rec_name_in(clause, 'number', 'party.rec_name')

    @classmethod
    def get_deposit_paid(cls, points, name):
        return {p.id: (p.deposit_amount == 0 if not p.deposit_invoice
                else p.deposit_invoice.state == 'paid')
            for p in points}

    @classmethod
    def get_settlement_lines(cls, points, name):
        Line = Pool().get('aftersales.repair.settlement.line')
        lines = defaultdict(list)
        for line in Line.search([
                    ('party', 'in', list({p.party.id for p in points})),
                    ('settlement.state', '=', 'done'),
                    ], order=[('start_date', 'DESC')]):
            lines[line.party.id].append(line.id)
        return {p.id: lines[p.party.id] for p in points}

    @classmethod
    def get_file(cls, points, names):
        "Count the point's repairs, parts and open disputes (N7)"
        pool = Pool()
        Order = pool.get('aftersales.repair.order')
        OrderLine = pool.get('aftersales.repair.order.line')
        Dispute = pool.get('aftersales.repair.dispute')
        order = Order.__table__()
        order_line = OrderLine.__table__()
        dispute = Dispute.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: defaultdict(int) for n in names}
        done = order.state == 'done'
        for sub_ids in grouped_slice(
                [p.id for p in points], backend.MAX_QUERY_PARAMS):
            sub_ids = list(sub_ids)
            cursor.execute(*order.select(
                    order.point,
                    Sum(Case((done, 1), else_=0)),
                    Sum(Case((done & order.free, 1), else_=0)),
                    Sum(Case((done & ~order.free, 1), else_=0)),
                    Sum(Case((order.state.in_(['exchanged', 'refunded']),
                                1), else_=0)),
                    where=SQL_IN(order.point, sub_ids),
                    group_by=order.point))
            for point_id, *counts in cursor:
                for name, count in zip([
                            'repair_count', 'free_repair_count',
                            'charged_repair_count', 'exchanged_count'],
                        counts):
                    if name in result:
                        result[name][point_id] = int(count or 0)
            cursor.execute(*order_line.join(order,
                    condition=order_line.order == order.id
                    ).select(order.point, Sum(order_line.quantity),
                    where=SQL_IN(order.point, sub_ids) & done
                    & (order_line.part != Null),
                    group_by=order.point))
            for point_id, quantity in cursor:
                if 'parts_used' in result:
                    result['parts_used'][point_id] = quantity or 0
            cursor.execute(*dispute.select(dispute.point, Count(dispute.id),
                    where=SQL_IN(dispute.point, sub_ids)
                    & dispute.state.in_(['open', 'responded', 'ruled']),
                    group_by=dispute.point))
            for point_id, count in cursor:
                if 'open_dispute_count' in result:
                    result['open_dispute_count'][point_id] = count
        return {n: {p.id: result[n][p.id] for p in points} for n in names}

    @classmethod
    def get_compensation_paid(cls, points, name):
        pool = Pool()
        Line = pool.get('aftersales.repair.settlement.line')
        lines = Line.search([
                ('party', 'in', list({p.party.id for p in points})),
                ('settlement.state', '=', 'done'),
                ])
        paid = defaultdict(Decimal)
        for line in lines:
            paid[line.party.id] += line.compensation_amount
        return {p.id: paid[p.party.id] for p in points}

    @classmethod
    def find(cls, subdivisions):
        """Return {subdivision id: [points]} of the approved repair points
        covering each subdivision, the nearest level first (R1)

        A city without a point of its own is served by its province's.
        """
        pool = Pool()
        Subdivision = pool.get('country.subdivision')
        chains = {s.id: [] for s in subdivisions if s}
        current = {s: s for s in subdivisions if s}
        # Walk up the parents of every subdivision level by level
        while current:
            for start, subdivision in current.items():
                chains[start.id].append(subdivision.id)
            current = {start: s.parent for start, s in current.items()
                if s.parent and s.parent.id not in chains[start.id]}
            current = dict(zip(current, Subdivision.browse(
                        [s.id for s in current.values()])))
        ids = {i for chain in chains.values() for i in chain}
        points = cls.search([
                ('state', '=', 'approved'),
                ('coverage', 'in', list(ids)),
                ])
        covering = defaultdict(list)
        for point in points:
            for subdivision in point.coverage:
                covering[subdivision.id].append(point)
        result = {}
        for start, chain in chains.items():
            result[start] = next(
                (covering[i] for i in chain if covering[i]), [])
        return result

    @classmethod
    def check_deposit_paid(cls, points):
        "Raise when a point has not paid its deposit (N4)"
        for point in points:
            if not point.deposit_paid:
                raise DepositError(gettext(
                        'aftersales_repair_network.msg_deposit_not_paid',
                        point=point.rec_name,
                        invoice=(point.deposit_invoice.rec_name
                            if point.deposit_invoice else '')))

    @classmethod
    @ModelView.button
    def approve(cls, points):
        """Record customer service's approval (N1); on the first one, open
        the point: its consignment locations, its initial parts list, the
        deposit invoice and the initial requisition (N4)"""
        points = [p for p in points
            if (p.state, 'approved') in cls._transitions]
        cls.set_approved(points)
        cls.open([p for p in points
                if p.state == 'approved' and not p.location])

    @classmethod
    @Workflow.transition('approved')
    @stamp('approved')
    def set_approved(cls, points):
        pass

    @classmethod
    def open(cls, points):
        Requisition = Pool().get('aftersales.repair.requisition')
        cls._create_locations(points)
        cls._create_parts(points)
        cls._invoice_deposit(points)
        cls.save(points)
        Requisition.create_initial(points)

    @classmethod
    def _create_locations(cls, points):
        Location = Pool().get('stock.location')
        parents = company_values('consignment_location', points)
        locations = []
        for point in points:
            parent = parents[point.company]
            point.location = Location(
                name=point.rec_name, code=point.number, type='storage',
                parent=parent)
            point.faulty_location = Location(
                name=point.rec_name, type='storage', parent=parent)
            locations.extend([point.location, point.faulty_location])
        Location.save(locations)
        cls._name_locations(points)

    @classmethod
    def _name_locations(cls, points):
        "Name the points' locations in each language the database speaks"
        if not points:
            return
        pool = Pool()
        Lang = pool.get('ir.lang')
        Location = pool.get('stock.location')
        for lang in Lang.search([('translatable', '=', True)]):
            args = []
            for point in points:
                for location, message in [
                        (point.location, 'msg_location_parts'),
                        (point.faulty_location, 'msg_location_faulty'),
                        ]:
                    args.extend(([location], {
                                'name': gettext(
                                    f'aftersales_repair_network.{message}',
                                    lang.code, point=point.rec_name),
                                }))
            with Transaction().set_context(language=lang.code):
                Location.write(*args)

    @classmethod
    def _create_parts(cls, points):
        Part = Pool().get('aftersales.repair.point.part')
        Part.save([Part(
                    point=point, product=line.product,
                    initial_quantity=line.quantity,
                    safety_quantity=line.safety_quantity)
                for point in points for line in point.scale.parts])

    @classmethod
    def _invoice_deposit(cls, points):
        "Invoice each point its deposit: a share of its parts' value (N4)"
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        Date = pool.get('ir.date')
        Invoice = pool.get('account.invoice')
        if not points:
            return
        product = Configuration(1).deposit_product
        rates = company_values('deposit_rate', points)
        journal = Invoice._get_revenue_journal()
        today = Date.today()
        invoices = []
        for point in points:
            value = sum((Decimal(str(l.quantity)) * l.product.list_price_used
                    for l in point.scale.parts), Decimal(0))
            point.deposit_rate = rates[point.company]
            point.deposit_amount = point.company.currency.round(
                value * point.deposit_rate)
            if not point.deposit_amount:
                continue
            if not product:
                raise DepositError(gettext(
                        'aftersales_repair_network.msg_no_deposit_product'))
            invoice = point._get_invoice(today, journal)
            point._get_invoice_line(invoice, product)
            point.deposit_invoice = invoice
            invoices.append(invoice)
        Invoice.save(invoices)
        Invoice.post(invoices)

    def _get_invoice(self, date, journal):
        "Return the invoice (unsaved) of the point's deposit"
        Invoice = Pool().get('account.invoice')
        description = gettext(
            'aftersales_repair_network.msg_deposit_description',
            point=self.rec_name)
        return Invoice._get_aftersales_invoice(
            self.company, self.party, date, description, journal)

    def _get_invoice_line(self, invoice, product):
        "Add to invoice the line of the point's deposit"
        InvoiceLine = Pool().get('account.invoice.line')
        return InvoiceLine._get_aftersales_line(
            invoice, product, 1, self.deposit_amount, invoice.description,
            self)

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    def refuse(cls, points):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('suspended')
    def suspend(cls, points):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, points):
        "Close the point once its consigned parts came back"
        pool = Pool()
        Location = pool.get('stock.location')
        locations = [p.location for p in points if p.location]
        empty = set(Location.get_empty_locations(locations))
        for point in points:
            if point.location and point.location not in empty:
                raise StockError(gettext(
                        'aftersales_repair_network.msg_point_close_stock',
                        point=point.rec_name))

    @classmethod
    @ModelView.button
    def propose_replenishment(cls, points):
        """Propose a requisition for each approved point holding a part
        below its safety quantity (C8)"""
        pool = Pool()
        Part = pool.get('aftersales.repair.point.part')
        Requisition = pool.get('aftersales.repair.requisition')
        points = [p for p in points if p.state == 'approved' and p.location]
        pending = {r.point for r in Requisition.search([
                    ('point', 'in', [p.id for p in points]),
                    ('state', 'in', ['draft', 'requested', 'approved']),
                    ])}
        points = [p for p in points if p not in pending]
        parts = [l for p in points for l in p.parts]
        quantities = Part.on_hand(parts)
        shortages = defaultdict(list)
        for part in parts:
            quantity = quantities[part.id]
            if quantity < part.safety_quantity:
                shortages[part.point].append(
                    (part.product, part.initial_quantity - quantity))
        Requisition.create_replenishment(shortages)

    @classmethod
    def replenish(cls):
        """Scheduled job: queue the proposal of the replenishments of every
        point, in batches (C8)"""
        points = cls.search([('state', '=', 'approved')])
        if points:
            with Transaction().set_context(queue_batch=True):
                cls.__queue__.propose_replenishment(points)


class PointSubdivision(ModelSQL):
    __string__ = "Repair Point Coverage"
    __name__ = 'aftersales.repair.point-country.subdivision'

    point = owner_field('aftersales.repair.point', "Repair Point")
    subdivision = owner_field('country.subdivision', "Subdivision")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('point')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.subdivision, Index.Range())))


class PointPart(PartLevelMixin, ModelSQL, ModelView):
    __string__ = "Repair Point Part"
    __name__ = 'aftersales.repair.point.part'
    _document = 'point'

    point = owner_field('aftersales.repair.point', "Repair Point")
    initial_quantity = fields.Float(
        "Initial Quantity", required=True,
        domain=[('initial_quantity', '>=', 0)],
        help="The level a replenishment brings the part back to.")
    safety_quantity = fields.Float(
        "Safety Quantity", required=True,
        domain=[('safety_quantity', '>=', 0)],
        help="Below this quantity a replenishment is proposed.")
    quantity = fields.Function(
        fields.Float("On Hand"), 'get_quantities')
    faulty_quantity = fields.Function(
        fields.Float("Faulty Held"), 'get_quantities')

    @classmethod
    def on_hand(cls, parts, faulty=False):
        "Return {part id: quantity at the point} in one computation"
        pool = Pool()
        Product = pool.get('product.product')
        Date = pool.get('ir.date')
        field = 'faulty_location' if faulty else 'location'
        locations = {getattr(p.point, field) for p in parts}
        locations.discard(None)
        if not locations:
            return {p.id: 0 for p in parts}
        with Transaction().set_context(stock_date_end=Date.today()):
            quantities = Product.products_by_location(
                [l.id for l in locations],
                grouping_filter=([p.product.id for p in parts],))
        result = {}
        for part in parts:
            location = getattr(part.point, field)
            result[part.id] = quantities.get(
                (location.id, part.product.id), 0) if location else 0
        return result

    @classmethod
    def get_quantities(cls, parts, names):
        result = {}
        for name in names:
            result[name] = cls.on_hand(parts, faulty=name == 'faulty_quantity')
        return result


class Address(metaclass=PoolMeta):
    __name__ = 'party.address'

    repair_point = fields.Function(
        fields.Many2One('aftersales.repair.point', "Repair Point",
            help="The authorized repair point of the address's area, "
            "told to the customer for a repair."),
        'get_repair_point')

    @classmethod
    def get_repair_point(cls, addresses, name):
        Point = Pool().get('aftersales.repair.point')
        found = Point.find([a.subdivision for a in addresses])
        result = {}
        for address in addresses:
            points = found.get(address.subdivision.id, []) if (
                address.subdivision) else []
            result[address.id] = points[0].id if points else None
        return result


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    repair_points = fields.One2Many(
        'aftersales.repair.point', 'party', "Repair Points", readonly=True)


class ApplicationForm(AftersalesReport):
    __name__ = 'aftersales.repair.point.application'
