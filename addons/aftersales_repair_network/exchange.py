"The old-for-new exchange of parts (N4, W8)"
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.modules.aftersales_warranty.document import (
    DatedDocumentMixin, owner_field, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.aftersales_warranty.stamp import stamp

from .configuration import company_values
from .document import ApprovedPointMixin
from .exceptions import ExchangeError, StockError
from .part import PartsLineMixin

_draft = editable_in('draft')


class Exchange(ApprovedPointMixin, DatedDocumentMixin, NumberedMixin,
        Workflow, ModelSQL, ModelView):
    """A repair point hands in faulty parts at its office or logistics
    partner and takes as many new ones: one operation moves both."""
    __string__ = "Old-for-New Exchange"
    __name__ = 'aftersales.repair.exchange'
    _number_sequence = 'repair_exchange_sequence'
    _copy_reset = ['done_by']

    office = fields.Function(party_field("Office"), 'on_change_with_office')
    date = fields.Date("Date", required=True, states=_draft)
    lines = fields.One2Many(
        'aftersales.repair.exchange.line', 'exchange', "Parts",
        states=_draft)
    done_by = fields.Many2One('res.user', "Done By", readonly=True)
    state = state_field([
            ('draft', "Draft"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ])
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('draft', 'done'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update(state_buttons(
                do=['draft'], cancel=['draft'], draft=['cancelled']))

    @fields.depends('point')
    def on_change_with_office(self, name=None):
        return self.point.office if self.point else None

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    @stamp('done')
    def do(cls, exchanges):
        """Move each faulty part from the point to the collected faulty
        parts and a new one from the parts warehouse to the point (N4)

        The faulty parts must be at the point, the new ones in stock and
        the point's deposit paid; otherwise nothing moves.
        """
        pool = Pool()
        Point = pool.get('aftersales.repair.point')
        Move = pool.get('stock.move')
        Point.check_deposit_paid(list({e.point for e in exchanges}))
        warehouses = company_values('parts_warehouse', exchanges)
        collected = company_values('collected_location', exchanges)
        moves = []
        for exchange in exchanges:
            if not exchange.lines:
                raise ExchangeError(gettext(
                        'aftersales_repair_network.msg_exchange_no_lines',
                        exchange=exchange.rec_name))
            point, company = exchange.point, exchange.company
            storage = warehouses[company].storage_location
            for line in exchange.lines:
                moves.append(line._get_move(
                        point.faulty_location, collected[company],
                        exchange.date))
                moves.append(line._get_move(
                        storage, point.location, exchange.date))
        Move.do_or_raise(moves, StockError(gettext(
                    'aftersales_repair_network.msg_exchange_stock_short',
                    exchanges=', '.join(e.rec_name for e in exchanges),
                    warehouse=', '.join(sorted(
                            {w.rec_name for w in warehouses.values()})))))

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, exchanges):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, exchanges):
        pass


class ExchangeLine(PartsLineMixin, ModelSQL, ModelView):
    __string__ = "Old-for-New Exchange Line"
    __name__ = 'aftersales.repair.exchange.line'
    _document = 'exchange'

    exchange = owner_field('aftersales.repair.exchange', "Exchange")
