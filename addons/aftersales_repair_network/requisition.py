"Spare-parts requisitions of the repair points"
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.modules.aftersales_warranty.document import (
    DatedDocumentMixin, owner_field, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.stamp import reset_stamps, stamp

from .configuration import company_values
from .document import ApprovedPointMixin
from .exceptions import RequisitionError, StockError
from .part import PartsLineMixin

_draft = editable_in('draft')


class Requisition(ApprovedPointMixin, DatedDocumentMixin, NumberedMixin,
        Workflow, ModelSQL, ModelView):
    __string__ = "Parts Requisition"
    __name__ = 'aftersales.repair.requisition'
    _muted_states = ['refused', 'cancelled']
    _number_sequence = 'repair_requisition_sequence'
    _copy_reset = ['kind', 'requested_by', 'approved_by', 'approved_at',
        'issued_by', 'issued_date']

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
    state = state_field([
            ('draft', "Draft"),
            ('requested', "Requested"),
            ('approved', "Approved"),
            ('issued', "Issued"),
            ('refused', "Refused"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.state, Index.Equality(cardinality='low')),
                where=t.state.in_(['draft', 'requested', 'approved'])))
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
        cls._buttons.update(state_buttons(
                request=['draft'], approve=['requested'],
                refuse=['requested'], issue=['approved'],
                cancel=['draft', 'requested', 'approved'],
                draft=['cancelled', 'refused']))

    @classmethod
    def default_kind(cls):
        return 'request'

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
    @stamp('requested')
    def request(cls, requisitions):
        for requisition in requisitions:
            if not requisition.lines:
                raise RequisitionError(gettext(
                        'aftersales_repair_network.msg_requisition_no_lines',
                        requisition=requisition.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    @stamp('approved')
    def approve(cls, requisitions):
        "Approve the requisition before stock is issued (C8)"

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    def refuse(cls, requisitions):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('issued')
    @stamp('issued')
    def issue(cls, requisitions):
        """Move the parts from the parts warehouse to the point's consignment

        Nothing is issued to a point that has not paid its deposit (N4).
        """
        pool = Pool()
        Point = pool.get('aftersales.repair.point')
        Date = pool.get('ir.date')
        Move = pool.get('stock.move')
        Point.check_deposit_paid(list({r.point for r in requisitions}))
        warehouses = company_values('parts_warehouse', requisitions)
        today = Date.today()
        moves = [line._get_move(
                warehouses[requisition.company].storage_location,
                requisition.point.location, today)
            for requisition in requisitions for line in requisition.lines]
        Move.do_or_raise(moves, StockError(gettext(
                    'aftersales_repair_network.msg_requisition_stock_short',
                    requisitions=', '.join(
                        r.rec_name for r in requisitions),
                    warehouse=', '.join(sorted(
                            {w.rec_name for w in warehouses.values()})))))
        cls.write(requisitions, {'issued_date': today})

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, requisitions):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    @reset_stamps('requested', 'approved')
    def draft(cls, requisitions):
        pass


class RequisitionLine(PartsLineMixin, ModelSQL, ModelView):
    __string__ = "Parts Requisition Line"
    __name__ = 'aftersales.repair.requisition.line'
    _document = 'requisition'

    requisition = owner_field('aftersales.repair.requisition', "Requisition")
    specification = fields.Char("Specification")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.product.help = "The model of the part."
