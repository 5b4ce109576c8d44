"Repair-fee compensation schemes of the repair points"
from collections import defaultdict

from sql.aggregate import Count

from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction
from trytond.modules.aftersales_warranty.document import (
    CurrencyMixin, DocumentMixin, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.stamp import stamp

from .document import PointDocumentMixin, running_in

SQL_IN = fields.SQL_OPERATORS['in']

_proposed = editable_in('proposed')


class Compensation(PointDocumentMixin, CurrencyMixin, DocumentMixin, Workflow,
        ModelSQL, ModelView):
    """Proposed by the office or regional manager by the point's coverage
    area and sales scale, decided by customer service, and paid with the
    party's rebate."""
    __string__ = "Repair-Fee Compensation Scheme"
    __name__ = 'aftersales.repair.compensation'
    _initial_state = 'proposed'
    _deletable_states = ['proposed', 'refused']
    _muted_states = ['refused']
    _copy_reset = ['proposed_by', 'decided_by', 'decided_at']

    coverage = fields.Function(
        fields.Many2Many('country.subdivision', None, None, "Coverage Area"),
        'on_change_with_coverage')
    scale = fields.Function(
        fields.Many2One('aftersales.repair.scale', "Sales Scale"),
        'on_change_with_scale')
    start_date = fields.Date(
        "Start Date", required=True, states=_proposed,
        domain=[If(Eval('end_date'),
                ('start_date', '<=', Eval('end_date')),
                ())])
    end_date = fields.Date(
        "End Date", states=_proposed,
        domain=[If(Eval('end_date'),
                ('end_date', '>=', Eval('start_date')),
                ())])
    amount_per_repair = Monetary(
        "Per Repair", currency='currency', digits='currency',
        required=True, states=_proposed,
        domain=[('amount_per_repair', '>=', 0)],
        help="Paid for each completed repair in warranty.")
    amount_per_period = Monetary(
        "Per Settlement", currency='currency', digits='currency',
        required=True, states=_proposed,
        domain=[('amount_per_period', '>=', 0)],
        help="Paid once for each settlement period.")
    reason = fields.Text(
        "Proposal", states=_proposed,
        help="Why this compensation suits the point's area and scale.")
    proposed_by = fields.Many2One(
        'res.user', "Proposed By", required=True, states=_proposed)
    decided_by = fields.Many2One('res.user', "Decided By", readonly=True)
    decided_at = fields.Timestamp("Decided At", readonly=True)
    state = state_field([
            ('proposed', "Proposed"),
            ('decided', "Decided"),
            ('refused', "Refused"),
            ])
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('start_date', 'DESC'))
        cls._transitions |= {
            ('proposed', 'decided'),
            ('proposed', 'refused'),
            ('refused', 'proposed'),
            }
        cls._buttons.update(state_buttons(
                decide=['proposed'], refuse=['proposed'],
                propose=['refused']))

    @classmethod
    def default_proposed_by(cls):
        return Transaction().user or None

    @fields.depends('point')
    def on_change_with_coverage(self, name=None):
        return self.point.coverage if self.point else []

    @fields.depends('point')
    def on_change_with_scale(self, name=None):
        return self.point.scale if self.point else None

    def get_rec_name(self, name):
        return self.point.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('point.rec_name', *clause[1:])]

    @classmethod
    @ModelView.button
    @Workflow.transition('decided')
    @stamp('decided')
    def decide(cls, compensations):
        "Customer service decides the compensation (N3)"

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    def refuse(cls, compensations):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('proposed')
    def propose(cls, compensations):
        pass

    @classmethod
    def of_period(cls, company, start_date, end_date):
        "Return the decided schemes running in the period"
        return cls.search([
                ('company', '=', company.id),
                ('state', '=', 'decided'),
                ] + running_in(start_date, end_date))

    @classmethod
    def free_repairs(cls, points, start_date, end_date):
        """Return {point id: number of repairs done in warranty} in the
        period, in one grouped query"""
        pool = Pool()
        Order = pool.get('aftersales.repair.order')
        order = Order.__table__()
        cursor = Transaction().connection.cursor()
        counts = defaultdict(int)
        # one flat IN list, as trytond reads records: SQLite's limit of
        # nested terms (MAX_QUERY_PARAMS) does not apply to it
        cursor.execute(*order.select(order.point, Count(order.id),
                where=SQL_IN(order.point, [p.id for p in points])
                & (order.state == 'done') & order.free
                & (order.done_date >= start_date)
                & (order.done_date <= end_date),
                group_by=order.point))
        counts.update(cursor)
        return counts

    def amount(self, repairs):
        "Return the compensation of a period with repairs in warranty"
        return self.amount_per_period + self.amount_per_repair * repairs
