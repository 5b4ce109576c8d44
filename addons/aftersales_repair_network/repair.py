"Repair orders at the repair points"
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.aftersales_warranty.claim import Claim
from trytond.modules.aftersales_warranty.dates import within_days
from trytond.modules.aftersales_warranty.report import AftersalesReport
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.modules.aftersales_warranty.document import (
    CopyResetMixin, CurrencyMixin, DatedDocumentMixin, owner_field,
    state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.overdue import (
    OverdueMixin, overdue_field)
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.aftersales_warranty.registered import (
    RegisteredProductMixin)
from trytond.modules.aftersales_warranty.stamp import stamp

from .exceptions import RepairDateError, RepairError, StockError

OPEN_STATES = ['diagnosed', 'promised']

_draft = editable_in('draft')
_open = editable_in(*OPEN_STATES)


class Order(RegisteredProductMixin, OverdueMixin, CurrencyMixin,
        DatedDocumentMixin, NumberedMixin, Workflow, ModelSQL, ModelView):
    __string__ = "Repair Order"
    __name__ = 'aftersales.repair.order'
    _number_sequence = 'repair_order_sequence'
    _copy_reset = ['free', 'quote', 'promised_date', 'done_date',
        'signer_name', 'signed_at', 'resolution', 'resolved_by',
        'exchange_lot', 'moves', 'refund_amount']

    point = fields.Many2One(
        'aftersales.repair.point', "Repair Point", required=True,
        states=_draft,
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft', ('state', '=', 'approved'), ()),
            ])
    date = fields.Date("Received On", required=True, states=_draft)
    customer = party_field("Customer", required=True, states=_draft)
    proof_of_purchase = fields.Char(
        "Proof of Purchase", required=True, states=_draft,
        help="The receipt or invoice the customer shows: no repair "
        "without it.")
    fault = fields.Text("Fault Description", states=_draft)
    lines = fields.One2Many(
        'aftersales.repair.order.line', 'order', "Components",
        states=_draft)
    free = fields.Boolean(
        "Free", readonly=True,
        help="Every repaired component is under warranty.")
    quote = fields.Many2One(
        'aftersales.warranty.quote', "Repair Quote", readonly=True,
        help="The parts and repair fee charged out of warranty.")
    promised_date = fields.Date(
        "Promised For", states=editable_in('draft', 'diagnosed'),
        help="A repair not done on the spot is promised by this day: "
        "at the latest the configured number of days after receipt.")
    overdue = overdue_field("The promised repair is not done by its date.")
    done_date = fields.Date("Done On", readonly=True)
    signer_name = fields.Char(
        "Signer", states=_open,
        help="The name of the customer who signs for the repair.")
    signed_at = fields.Timestamp("Signed At", readonly=True)
    resolution = fields.Text(
        "Resolution", states=_open,
        help="How the customer was served when the product was exchanged "
        "or refunded instead of repaired.")
    resolved_by = fields.Many2One('res.user', "Resolved By", readonly=True)
    exchange_lot = fields.Many2One(
        'stock.lot', "New Unit Lot",
        domain=[('product', '=', Eval('product', -1))], states=_open,
        help="The lot of the new unit given in exchange.")
    moves = fields.One2Many(
        'stock.move', 'origin', "Exchange Moves", readonly=True,
        help="The faulty unit taken back and the new unit given in "
        "exchange.")
    credit_note = fields.Function(
        fields.Many2One('account.invoice', "Credit Note"),
        'get_credit_note')
    refund_amount = Monetary(
        "Refund Amount", currency='currency', digits='currency',
        states=_open,
        domain=['OR',
            ('refund_amount', '=', None),
            ('refund_amount', '>=', 0)],
        help="The price refunded to the customer; "
        "the product's list price when empty.")
    state = state_field([
            ('draft', "Draft"),
            ('diagnosed', "Diagnosed"),
            ('promised', "Promised"),
            ('done', "Done"),
            ('exchanged', "Exchanged"),
            ('refunded', "Refunded"),
            ('cancelled', "Cancelled"),
            ])
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        cls.proof_of_purchase.search_unaccented = False
        super().__setup__()
        cls.purchase_date.required = True
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.point, Index.Range()),
                    (t.done_date, Index.Range())),
                Index(t, (t.registration, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state.in_(OPEN_STATES)),
                })
        cls._transitions |= {
            ('draft', 'diagnosed'),
            ('diagnosed', 'promised'),
            ('diagnosed', 'done'),
            ('promised', 'done'),
            ('diagnosed', 'exchanged'),
            ('promised', 'exchanged'),
            ('diagnosed', 'refunded'),
            ('promised', 'refunded'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update(state_buttons(
                diagnose=['draft'], promise=['diagnosed'],
                do=['diagnosed', 'promised'], exchange=OPEN_STATES,
                refund=OPEN_STATES, cancel=['draft'], draft=['cancelled']))

    @classmethod
    def default_free(cls):
        return False

    @classmethod
    def latest_promise(cls, date):
        "Return the latest day a repair received on date may be promised"
        Configuration = Pool().get('aftersales.configuration')
        return within_days(date, Configuration(1).repair_promise_days)

    @fields.depends('date', 'promised_date')
    def on_change_date(self):
        if self.date and (not self.promised_date
                or not self.date <= self.promised_date
                <= self.latest_promise(self.date)):
            self.promised_date = self.latest_promise(self.date)

    @classmethod
    def validate_fields(cls, orders, field_names):
        super().validate_fields(orders, field_names)
        if field_names & {'date', 'purchase_date', 'promised_date',
                'done_date'}:
            cls.check_dates(orders)

    @classmethod
    def check_dates(cls, orders):
        "Check that purchase <= receipt <= promise <= latest promise, done"
        pool = Pool()
        today = pool.get('ir.date').today()
        date = pool.get('ir.lang').get().strftime
        for order in orders:
            if order.date > today:
                raise RepairDateError(gettext(
                        'aftersales_repair_network.msg_repair_date_future',
                        order=order.rec_name, date=date(order.date)))
            if order.purchase_date > order.date:
                raise RepairDateError(gettext(
                        'aftersales_repair_network'
                        '.msg_repair_purchase_after_receipt',
                        order=order.rec_name,
                        purchase_date=date(order.purchase_date),
                        date=date(order.date)))
            if order.promised_date:
                latest = cls.latest_promise(order.date)
                if not order.date <= order.promised_date <= latest:
                    raise RepairDateError(gettext(
                            'aftersales_repair_network'
                            '.msg_repair_promise_out_of_range',
                            order=order.rec_name,
                            promised_date=date(order.promised_date),
                            date=date(order.date), latest=date(latest)))
            if order.done_date and order.done_date < order.date:
                raise RepairDateError(gettext(
                        'aftersales_repair_network'
                        '.msg_repair_done_before_receipt',
                        order=order.rec_name, done_date=date(order.done_date),
                        date=date(order.date)))

    @fields.depends('registration')
    def on_change_registration(self):
        super().on_change_registration()
        if self.registration:
            self.proof_of_purchase = (self.registration.proof_of_purchase
                or self.registration.number)

    @fields.depends('customer', 'point')
    def on_change_customer(self):
        "Propose the repair point of the customer's area (R1)"
        Point = Pool().get('aftersales.repair.point')
        if self.customer and not self.point:
            address = self.customer.address_get()
            if address and address.subdivision:
                points = Point.find([address.subdivision])[
                    address.subdivision.id]
                if points:
                    self.point = points[0]

    def to_claims(self):
        "Return the warranty claim of each component line"
        return [Claim(
                claim_date=self.date, claimant='consumer',
                product=self.product, lot=self.lot,
                registration=self.registration,
                purchase_date=self.purchase_date, component=line.component,
                cause=line.cause)
            for line in self.lines]

    @classmethod
    @ModelView.button
    @Workflow.transition('diagnosed')
    def diagnose(cls, orders):
        """Check the warranty of every component in one batch (R2, C7)

        A component out of warranty has its part charged with the repair
        fee on a repair quote (W2); the order is free when every component
        is covered.
        """
        pool = Pool()
        Policy = pool.get('aftersales.warranty.policy')
        Line = pool.get('aftersales.repair.order.line')
        Quote = pool.get('aftersales.warranty.quote')
        for order in orders:
            if not order.lines:
                raise RepairError(gettext(
                        'aftersales_repair_network.msg_repair_no_lines',
                        order=order.rec_name))
        claims = [c for o in orders for c in o.to_claims()]
        answers = iter(Policy.check(claims))
        lines, quotes = [], []
        for order in orders:
            for line in order.lines:
                answer, = next(answers)
                line.set_answer(answer)
                lines.append(line)
            order.free = all(l.covered for l in order.lines)
            charged = [l for l in order.lines if not l.covered and l.part]
            if charged:
                order.quote = order.get_quote(charged)
                quotes.append(order.quote)
        Line.save(lines)
        Quote.save(quotes)
        cls.save(orders)
        Quote.quote(quotes)

    def get_quote(self, lines):
        "Return the repair quote (unsaved) charging the parts of lines (W2)"
        pool = Pool()
        Quote = pool.get('aftersales.warranty.quote')
        QuoteLine = pool.get('aftersales.warranty.quote.line')
        quote = Quote(
            company=self.company, date=self.date, customer=self.customer,
            registration=self.registration, product=self.product,
            lot=self.lot, fee_waived=False)
        quote.on_change_product()
        quote.lines = [QuoteLine(
                product=l.part, quantity=l.quantity,
                unit_price=l.part.list_price_used) for l in lines]
        return quote

    @classmethod
    @ModelView.button
    @Workflow.transition('promised')
    def promise(cls, orders):
        """Promise the repair by the date the point chose, at the latest the
        configured days after receipt (R2)"""
        for order in orders:
            if not order.promised_date:
                order.promised_date = cls.latest_promise(order.date)
        cls.save(orders)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, orders):
        """Close the repair with the customer's signature (C7)

        The new parts leave the point's consignment for the customer's
        product and the faulty ones go to the point's faulty parts. Past
        the promise (or the day of receipt for a repair on the spot) the
        order must be exchanged or refunded instead (R2).
        """
        pool = Pool()
        Date = pool.get('ir.date')
        Move = pool.get('stock.move')
        today = Date.today()
        moves = []
        for order in orders:
            if not order.signer_name:
                raise RepairError(gettext(
                        'aftersales_repair_network.msg_repair_not_signed',
                        order=order.rec_name))
            deadline = order.promised_date or order.date
            if today > deadline:
                raise RepairError(gettext(
                        'aftersales_repair_network.msg_repair_past_promise',
                        order=order.rec_name, deadline=deadline))
            moves.extend(m for l in order.lines for m in l._get_moves(today))
        Move.do_or_raise(moves, StockError(gettext(
                    'aftersales_repair_network.msg_repair_parts_short',
                    orders=', '.join(o.rec_name for o in orders))))
        now = dt.datetime.now()
        for order in orders:
            order.done_date = today
            order.signed_at = now
        cls.save(orders)

    @classmethod
    @ModelView.button
    @Workflow.transition('exchanged')
    @stamp('resolved')
    def exchange(cls, orders):
        """Exchange the product instead of repairing it (R2)

        The faulty unit comes back to the point's faulty parts and a new
        unit leaves its consignment for the customer.
        """
        pool = Pool()
        Move = pool.get('stock.move')
        today = pool.get('ir.date').today()
        moves = [m for o in orders for m in o._get_exchange_moves(today)]
        Move.do_or_raise(moves, StockError(gettext(
                    'aftersales_repair_network.msg_repair_exchange_short',
                    orders=', '.join(o.rec_name for o in orders))))

    def _get_exchange_moves(self, date):
        """Return the moves (unsaved) of the exchange: the faulty unit back
        to the point, the new unit to the customer"""
        customer = self.customer.customer_location
        return [
            self._get_unit_move(
                customer, self.point.faulty_location, self.lot, date),
            self._get_unit_move(
                self.point.location, customer, self.exchange_lot, date),
            ]

    def _get_unit_move(self, from_location, to_location, lot, date):
        "Return the move (unsaved) of one unit of the product of lot"
        Move = Pool().get('stock.move')
        move = Move._get_aftersales_move(
            self.product, 1, from_location, to_location, self.company, self,
            date)
        move.lot = lot
        return move

    @classmethod
    @ModelView.button
    @Workflow.transition('refunded')
    @stamp('resolved')
    def refund(cls, orders):
        "Refund the product on a credit note instead of repairing it (R2)"
        pool = Pool()
        Invoice = pool.get('account.invoice')
        today = pool.get('ir.date').today()
        journal = Invoice._get_revenue_journal()
        Invoice.save([o._get_invoice(today, journal) for o in orders])

    def _get_invoice(self, date, journal):
        "Return the credit note (unsaved) refunding the product"
        Invoice = Pool().get('account.invoice')
        invoice = Invoice._get_aftersales_invoice(
            self.company, self.customer, date, self.number, journal)
        self._get_invoice_line(invoice)
        return invoice

    def _get_invoice_line(self, invoice):
        "Add to invoice the line crediting the product"
        InvoiceLine = Pool().get('account.invoice.line')
        unit_price = self.refund_amount
        if unit_price is None:
            unit_price = self.product.list_price_used
        return InvoiceLine._get_aftersales_line(
            invoice, self.product, -1, unit_price, self.product.rec_name,
            self)

    @classmethod
    def get_credit_note(cls, orders, name):
        InvoiceLine = Pool().get('account.invoice.line')
        return InvoiceLine._get_origin_invoices(orders)

    @classmethod
    def _overdue_domain(cls, date):
        "The promised repairs past their date (R2)"
        return [
            ('state', '=', 'promised'),
            ('promised_date', '<', date),
            ]

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, orders):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, orders):
        pass


class OrderLine(CopyResetMixin, ModelSQL, ModelView):
    __string__ = "Repair Order Component"
    __name__ = 'aftersales.repair.order.line'
    _copy_reset = [
        'covered', 'warranty_answer', 'warranty_policy', 'covered_until',
        'moves']

    order = owner_field('aftersales.repair.order', "Repair Order")
    component = fields.Many2One(
        'aftersales.warranty.component', "Component", required=True,
        help="The faulty component: its warranty is checked.")
    part = fields.Many2One(
        'product.product', "Part", domain=[('type', '=', 'goods')],
        help="The new part from the point's consignment, if one is fitted.")
    quantity = fields.Float(
        "Quantity", required=True, domain=[('quantity', '>', 0)])
    cause = fields.Many2One(
        'aftersales.warranty.cause', "Cause", required=True,
        help="What caused the defect: the warranty covers only some "
        "causes.")
    covered = fields.Boolean("Under Warranty", readonly=True)
    warranty_answer = fields.Selection([
            (None, ""),
            ('covered', "Covered"),
            ('expired', "Expired"),
            ('cause', "Cause Not Covered"),
            ('component', "Component Not Covered"),
            ('no_date', "Start Date Unknown"),
            ('no_policy', "No Policy"),
            ], "Warranty Answer", readonly=True, sort=False)
    warranty_answer_string = warranty_answer.translated('warranty_answer')
    warranty_policy = fields.Many2One(
        'aftersales.warranty.policy', "Warranty Policy", readonly=True)
    covered_until = fields.Date("Covered Until", readonly=True)
    warranty = fields.Function(
        fields.Char("Warranty Check"), 'get_warranty')
    moves = fields.One2Many('stock.move', 'origin', "Moves", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('order')

    @classmethod
    def default_quantity(cls):
        return 1

    @classmethod
    def default_covered(cls):
        return False

    @classmethod
    def default_cause(cls):
        return Pool().get('aftersales.warranty.cause').quality_fault()

    def set_answer(self, answer):
        "Store the warranty check's answer as data"
        self.covered = answer.covered
        self.covered_until = answer.until
        self.warranty_policy = answer.policy
        if answer.cause:
            self.warranty_answer = 'cause'
        elif answer.until:
            self.warranty_answer = 'covered' if answer.covered else 'expired'
        elif not answer.policy:
            self.warranty_answer = 'no_policy'
        elif any(l.component == self.component and l.covered
                for l in answer.policy.lines):
            self.warranty_answer = 'no_date'
        else:
            self.warranty_answer = 'component'

    def get_warranty(self, name):
        "Return the warranty answer written in the reader's language"
        if not self.warranty_answer:
            return None
        lang = Pool().get('ir.lang').get()
        return gettext(self._answer_messages[self.warranty_answer],
            cause=self.cause.rec_name, product=self.order.product.rec_name,
            component=self.component.rec_name,
            until=(lang.strftime(self.covered_until)
                if self.covered_until else ''))

    _answer_messages = {
        'covered': 'aftersales_repair_network.msg_repair_answer_covered',
        'expired': 'aftersales_repair_network.msg_repair_answer_expired',
        'cause': 'aftersales_warranty.msg_answer_cause_not_covered',
        'component': 'aftersales_warranty.msg_answer_not_covered',
        'no_date': 'aftersales_repair_network.msg_repair_answer_no_date',
        'no_policy': 'aftersales_warranty.msg_answer_no_policy',
        }

    def _get_moves(self, date):
        """Return the moves (unsaved) of the replaced part: the new one
        leaves the point's consignment, the faulty one goes to its faulty
        parts"""
        if not self.part:
            return []
        order = self.order
        customer = order.customer.customer_location
        price = None if self.covered else self.part.list_price_used
        return [
            self._get_move(
                order.point.location, customer, date, unit_price=price),
            self._get_move(customer, order.point.faulty_location, date),
            ]

    def _get_move(self, from_location, to_location, date, unit_price=None):
        "Return the move (unsaved) of the line's part"
        Move = Pool().get('stock.move')
        return Move._get_aftersales_move(
            self.part, self.quantity, from_location, to_location,
            self.order.company, self, date, unit_price=unit_price)


class Registration(metaclass=PoolMeta):
    __name__ = 'aftersales.warranty.registration'

    repairs = fields.One2Many(
        'aftersales.repair.order', 'registration', "Repairs", readonly=True,
        help="The repairs done at repair points, noted on the warranty "
        "card.")


class OrderForm(AftersalesReport):
    __name__ = 'aftersales.repair.order.form'
