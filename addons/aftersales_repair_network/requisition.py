"Spare-parts requisitions of the repair points"
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.aftersales_warranty.configuration import (
    NumberedMixin)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.modules.aftersales_warranty.document import DocumentMixin

from .exceptions import RequisitionError, StockError

_draft = {'readonly': Eval('state') != 'draft'}


class Requisition(DocumentMixin, NumberedMixin, Workflow, ModelSQL, ModelView):
    __string__ = "Parts Requisition"
    __name__ = 'aftersales.repair.requisition'
    _muted_states = ['refused', 'cancelled']
    _rec_name = 'number'
    _number_sequence = 'repair_requisition_sequence'

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft)
    point = fields.Many2One(
        'aftersales.repair.point', "Repair Point", required=True,
        states=_draft,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', '=', 'approved'),
            ])
    date = fields.Date("Date", required=True, states=_draft)
    kind = fields.Selection([
            ('initial', "Initial Stock"),
            ('replenishment', "Replenishment"),
            ('request', "Request"),
            ], "Kind", required=True, states=_draft,
        help="Initial stock on the point's approval, replenishment proposed "
        "below the safety levels, or a request of the point.")
    lines = fields.One2Many(
        'aftersales.repair.requisition.line', 'requisition', "Parts",
        states=_draft)
    notes = fields.Text("Notes")
    requested_by = fields.Many2One('res.user', "Requested By", readonly=True)
    approved_by = fields.Many2One('res.user', "Approved By", readonly=True)
    approved_at = fields.Timestamp("Approved At", readonly=True)
    issued_by = fields.Many2One('res.user', "Issued By", readonly=True)
    issued_date = fields.Date("Issued On", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('requested', "Requested"),
            ('approved', "Approved"),
            ('issued', "Issued"),
            ('refused', "Refused"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.point, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state.in_(['draft', 'requested', 'approved'])),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'requested'),
            ('requested', 'approved'),
            ('requested', 'refused'),
            ('approved', 'issued'),
            ('draft', 'cancelled'),
            ('requested', 'cancelled'),
            ('approved', 'cancelled'),
            ('cancelled', 'draft'),
            ('refused', 'draft'),
            }
        cls._buttons.update({
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'refuse': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'issue': {
                    'invisible': Eval('state') != 'approved',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'requested', 'approved']),
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': ~Eval('state').in_(['cancelled', 'refused']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_kind(cls):
        return 'request'

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def check_modification(
            cls, mode, requisitions, values=None, external=False):
        super().check_modification(
            mode, requisitions, values=values, external=external)
        if mode == 'delete':
            for requisition in requisitions:
                if requisition.state not in {'draft', 'cancelled'}:
                    raise AccessError(gettext(
                            'aftersales_repair_network'
                            '.msg_requisition_delete',
                            requisition=requisition.rec_name))

    @classmethod
    def copy(cls, requisitions, default=None):
        default = default.copy() if default is not None else {}
        for name in ['requested_by', 'approved_by', 'approved_at',
                'issued_by', 'issued_date']:
            default.setdefault(name)
        default.setdefault('kind', 'request')
        return super().copy(requisitions, default=default)

    @classmethod
    def create_initial(cls, points):
        "Requisition the initial parts of newly approved points (N4)"
        return cls._create('initial', {
                p: [(l.product, l.initial_quantity) for l in p.parts]
                for p in points})

    @classmethod
    def create_replenishment(cls, shortages):
        "Requisition {point: [(product, quantity)]} below safety stock (C8)"
        return cls._create('replenishment', shortages)

    @classmethod
    def _create(cls, kind, parts):
        pool = Pool()
        Line = pool.get('aftersales.repair.requisition.line')
        requisitions = []
        for point, products in parts.items():
            lines = [Line(product=p, quantity=q) for p, q in products if q > 0]
            if lines:
                requisitions.append(cls(
                        company=point.company, point=point, kind=kind,
                        date=cls.default_date(), lines=lines))
        cls.save(requisitions)
        cls.request(requisitions)
        return requisitions

    @classmethod
    @ModelView.button
    @Workflow.transition('requested')
    def request(cls, requisitions):
        for requisition in requisitions:
            if not requisition.lines:
                raise RequisitionError(gettext(
                        'aftersales_repair_network.msg_requisition_no_lines',
                        requisition=requisition.rec_name))
        cls.write(requisitions, {'requested_by': Transaction().user})

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, requisitions):
        "Approve the requisition before stock is issued (C8)"
        cls.write(requisitions, {
                'approved_by': Transaction().user,
                'approved_at': dt.datetime.now(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    def refuse(cls, requisitions):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('issued')
    def issue(cls, requisitions):
        """Move the parts from the parts warehouse to the point's consignment

        Nothing is issued to a point that has not paid its deposit (N4).
        """
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        Point = pool.get('aftersales.repair.point')
        Date = pool.get('ir.date')
        Move = pool.get('stock.move')
        Point.check_deposit_paid(list({r.point for r in requisitions}))
        storage = Configuration(1).parts_warehouse.storage_location
        today = Date.today()
        moves = [line._get_move(storage, requisition.point.location, today)
            for requisition in requisitions for line in requisition.lines]
        Move.do_or_raise(moves, StockError(gettext(
                    'aftersales_repair_network.msg_requisition_stock_short',
                    requisitions=', '.join(
                        r.rec_name for r in requisitions),
                    warehouse=storage.rec_name)))
        cls.write(requisitions, {
                'issued_by': Transaction().user,
                'issued_date': today,
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, requisitions):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, requisitions):
        cls.write(requisitions, {
                'requested_by': None,
                'approved_by': None,
                'approved_at': None,
                })


class RequisitionLine(ModelSQL, ModelView):
    __string__ = "Parts Requisition Line"
    __name__ = 'aftersales.repair.requisition.line'

    requisition = fields.Many2One(
        'aftersales.repair.requisition', "Requisition", required=True,
        ondelete='CASCADE')
    product = fields.Many2One(
        'product.product', "Part", required=True,
        domain=[('type', '=', 'goods')],
        help="The model of the part.")
    specification = fields.Char("Specification")
    quantity = fields.Float(
        "Quantity", required=True, domain=[('quantity', '>', 0)])
    moves = fields.One2Many('stock.move', 'origin', "Moves", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('requisition')

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('moves')
        return super().copy(lines, default=default)

    def _get_move(self, from_location, to_location, date):
        "Return the move (unsaved) of the line's parts"
        Move = Pool().get('stock.move')
        return Move._get_aftersales_move(
            self.product, self.quantity, from_location, to_location,
            self.requisition.company, self, date)
