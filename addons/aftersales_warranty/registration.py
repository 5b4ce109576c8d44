from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .document import DocumentMixin, owner_field, state_buttons, state_field
from .configuration import NumberedMixin
from .registered import ProductLotMixin
from .exceptions import DateOrderError, RegistrationError
from .report import AftersalesReport
from .party_field import party_field

_states = {'readonly': Eval('state') != 'draft'}


class Registration(
        DocumentMixin, NumberedMixin, ProductLotMixin, Workflow, ModelSQL,
        ModelView):
    __string__ = "Warranty Registration"
    __name__ = 'aftersales.warranty.registration'
    _number_sequence = 'registration_sequence'
    _copy_reset = [
        'source', 'sale_line', 'move', 'returned_quantity', 'lines']

    source = fields.Selection([
            ('delivery', "Delivery"),
            ('manual', "Proof of Purchase"),
            ], "Source", readonly=True, required=True)
    customer = party_field(
        "Customer", required=True, states=_states)
    dealer = party_field(
        "Dealer", states=_states,
        help="The dealer the goods were bought from, "
        "answering for the customer.")
    quantity = fields.Float("Quantity", required=True, states=_states,
        domain=[('quantity', '>', 0)])
    returned_quantity = fields.Float("Returned Quantity", readonly=True)
    sale_line = fields.Many2One('sale.line', "Sale Line", readonly=True)
    move = fields.Many2One('stock.move', "Delivery Move", readonly=True)
    proof_of_purchase = fields.Char(
        "Proof of Purchase", states={
            'readonly': _states['readonly'],
            'required': Eval('source') == 'manual',
            },
        help="The receipt or invoice number the customer shows.")
    purchase_date = fields.Date("Purchase Date", required=True,
        states=_states)
    delivery_date = fields.Date("Delivery Date", states=_states)
    ex_factory_date = fields.Date("Ex-Factory Date", states=_states)
    policy = fields.Many2One(
        'aftersales.warranty.policy', "Policy", readonly=True)
    lines = fields.One2Many(
        'aftersales.warranty.registration.line', 'registration',
        "Coverage", readonly=True)
    state = state_field([
            ('draft', "Draft"),
            ('active', "Active"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.product, Index.Range()), (t.lot, Index.Range())),
                Index(t, (t.customer, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state == 'active'),
                })
        cls._order.insert(0, ('purchase_date', 'DESC'))
        cls._transitions |= {
            ('draft', 'active'),
            ('active', 'cancelled'),
            ('draft', 'cancelled'),
            }
        cls._buttons.update(state_buttons(
                activate=['draft'], cancel=['draft', 'active']))

    @classmethod
    def default_source(cls):
        return 'manual'

    @classmethod
    def default_quantity(cls):
        return 1

    @classmethod
    def default_returned_quantity(cls):
        return 0

    def on_change_lot(self):
        super().on_change_lot()
        if self.lot:
            self.ex_factory_date = self.lot.ex_factory_date

    @fields.depends('customer')
    def on_change_customer(self):
        if self.customer and self.customer.upstream:
            self.dealer = self.customer.upstream

    @classmethod
    def validate_fields(cls, registrations, field_names):
        super().validate_fields(registrations, field_names)
        if field_names & {
                'purchase_date', 'delivery_date', 'ex_factory_date', 'lot'}:
            cls.check_dates(registrations)

    @classmethod
    def check_dates(cls, registrations):
        """Refuse a purchase or delivery in the future, a purchase before
        the manufacture and a delivery before the purchase"""
        pool = Pool()
        today = pool.get('ir.date').today()
        lang = pool.get('ir.lang').get()
        for registration in registrations:
            purchased = registration.purchase_date
            delivered = registration.delivery_date
            made = registration.ex_factory_date or (
                registration.lot.ex_factory_date if registration.lot
                else None)
            values = {
                'registration': registration.rec_name,
                'lot': (registration.lot or registration.product).rec_name,
                'today': lang.strftime(today),
                'purchase_date': lang.strftime(purchased),
                'delivery_date': delivered and lang.strftime(delivered),
                'ex_factory_date': made and lang.strftime(made),
                }
            if purchased > today:
                raise DateOrderError(gettext(
                        'aftersales_warranty.msg_registration_purchase_future',
                        **values))
            if made and purchased < made:
                raise DateOrderError(gettext(
                        'aftersales_warranty'
                        '.msg_registration_purchase_before_manufacture',
                        **values))
            if delivered and delivered > today:
                raise DateOrderError(gettext(
                        'aftersales_warranty.msg_registration_delivery_future',
                        **values))
            if delivered and delivered < purchased:
                raise DateOrderError(gettext(
                        'aftersales_warranty'
                        '.msg_registration_delivery_before_purchase',
                        **values))

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def activate(cls, registrations):
        cls.check_dates(registrations)
        cls.set_coverage(registrations)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, registrations):
        pass

    @property
    def basis_dates(self):
        return {
            'purchase': self.purchase_date,
            'delivery': self.delivery_date,
            'manufacture': self.ex_factory_date,
            }

    @classmethod
    def set_coverage(cls, registrations):
        "Fill the policy and the end date per component (W1)"
        pool = Pool()
        Policy = pool.get('aftersales.warranty.policy')
        Line = pool.get('aftersales.warranty.registration.line')
        policies = Policy.policies_of([r.product for r in registrations])
        Line.delete([l for r in registrations for l in r.lines])
        to_save, lines = [], []
        for registration in registrations:
            policy = policies[registration.product.id]
            if not policy:
                raise RegistrationError(gettext(
                        'aftersales_warranty.msg_registration_no_policy',
                        registration=registration.rec_name,
                        product=registration.product.rec_name))
            registration.policy = policy
            to_save.append(registration)
            dates = registration.basis_dates
            for policy_line in policy.lines:
                lines.append(Line(
                        registration=registration,
                        component=policy_line.component,
                        covered=policy_line.covered,
                        end_date=policy_line.end_date(dates)))
        cls.save(to_save)
        Line.save(lines)

    @classmethod
    def create_from_moves(cls, moves):
        "Register the delivered goods of moves that a policy covers"
        pool = Pool()
        Policy = pool.get('aftersales.warranty.policy')
        policies = Policy.policies_of([m.product for m in moves])
        vlist = []
        for move in moves:
            if not policies[move.product.id] or move.quantity <= 0:
                continue
            vlist.append(cls._registration_values(move))
        registrations = cls.create(vlist)
        cls.activate(registrations)
        return registrations

    @classmethod
    def _registration_values(cls, move):
        shipment = move.shipment
        customer = shipment.customer
        sale_line = move.origin if move.origin and (
            move.origin.__name__ == 'sale.line') else None
        delivery_date = move.effective_date or shipment.effective_date
        lot = getattr(move, 'lot', None)
        return {
            'company': move.company.id,
            'source': 'delivery',
            'customer': customer.id,
            'dealer': customer.upstream.id if customer.upstream else None,
            'product': move.product.id,
            'lot': lot.id if lot else None,
            'quantity': move.internal_quantity,
            'sale_line': sale_line.id if sale_line else None,
            'move': move.id,
            'purchase_date': (sale_line.sale.sale_date
                if sale_line else delivery_date),
            'delivery_date': delivery_date,
            'ex_factory_date': lot.ex_factory_date if lot else None,
            }

    @classmethod
    def cancel_returned(cls, moves):
        """Count returned goods against the customer's active registrations

        A registration whose whole quantity came back is cancelled.
        """
        if not moves:
            return
        registrations = cls.search([
                ('state', '=', 'active'),
                ('customer', 'in', list({
                            m.shipment.customer.id for m in moves})),
                ('product', 'in', list({m.product.id for m in moves})),
                ], order=[('purchase_date', 'ASC'), ('id', 'ASC')])
        by_key = defaultdict(list)
        for registration in registrations:
            by_key[(registration.customer, registration.product,
                    registration.lot)].append(registration)
        to_save, to_cancel = [], []
        for move in moves:
            key = (move.shipment.customer, move.product,
                getattr(move, 'lot', None))
            remaining = move.internal_quantity
            for registration in by_key[key]:
                open_ = registration.quantity - registration.returned_quantity
                if remaining <= 0 or open_ <= 0:
                    continue
                taken = min(open_, remaining)
                registration.returned_quantity += taken
                remaining -= taken
                to_save.append(registration)
                if registration.returned_quantity >= registration.quantity:
                    to_cancel.append(registration)
        cls.save(to_save)
        cls.cancel(to_cancel)


class RegistrationLine(ModelSQL, ModelView):
    __string__ = "Warranty Registration Coverage"
    __name__ = 'aftersales.warranty.registration.line'

    registration = owner_field(
        'aftersales.warranty.registration', "Registration")
    component = fields.Many2One(
        'aftersales.warranty.component', "Component", required=True,
        readonly=True)
    covered = fields.Boolean("Covered", readonly=True)
    end_date = fields.Date("Covered Until", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('registration')


class ShipmentOut(metaclass=PoolMeta):
    __name__ = 'stock.shipment.out'

    @classmethod
    def do(cls, shipments):
        to_register = [s for s in shipments if s.state != 'done']
        super().do(shipments)
        Registration = Pool().get('aftersales.warranty.registration')
        Registration.create_from_moves([
                m for s in to_register for m in s.outgoing_moves
                if m.state == 'done'])


class ShipmentOutReturn(metaclass=PoolMeta):
    __name__ = 'stock.shipment.out.return'

    @classmethod
    def receive(cls, shipments):
        to_count = [s for s in shipments if s.state == 'draft']
        super().receive(shipments)
        Registration = Pool().get('aftersales.warranty.registration')
        Registration.cancel_returned([
                m for s in to_count for m in s.incoming_moves
                if m.state == 'done'])


class WarrantyCard(AftersalesReport):
    __name__ = 'aftersales.warranty.registration.card'
