"The old-for-new exchange of parts (N4, W8)"
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.aftersales_warranty.configuration import (
    NumberedMixin)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.modules.aftersales_warranty.document import (
    CopyResetMixin, DatedDocumentMixin)
from trytond.modules.aftersales_warranty.stamp import stamp

from .exceptions import ExchangeError, StockError

_draft = {'readonly': Eval('state') != 'draft'}


class Exchange(
        DatedDocumentMixin, NumberedMixin, Workflow, ModelSQL, ModelView):
    """A repair point hands in faulty parts at its office or logistics
    partner and takes as many new ones: one operation moves both."""
    __string__ = "Old-for-New Exchange"
    __name__ = 'aftersales.repair.exchange'
    _rec_name = 'number'
    _number_sequence = 'repair_exchange_sequence'
    _copy_reset = ['done_by']

    number = fields.Char("Number", readonly=True)
    point = fields.Many2One(
        'aftersales.repair.point', "Repair Point", required=True,
        states=_draft,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', '=', 'approved'),
            ])
    office = fields.Function(
        fields.Many2One(
            'party.party', "Office",
            context={'company': Eval('company', -1)}, depends={'company'}),
        'on_change_with_office')
    date = fields.Date("Date", required=True, states=_draft)
    lines = fields.One2Many(
        'aftersales.repair.exchange.line', 'exchange', "Parts",
        states=_draft)
    done_by = fields.Many2One('res.user', "Done By", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.point, Index.Range())))
        cls._transitions |= {
            ('draft', 'done'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'do': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'depends': ['state'],
                    },
                })

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
        Configuration = pool.get('aftersales.configuration')
        Point = pool.get('aftersales.repair.point')
        Move = pool.get('stock.move')
        configuration = Configuration(1)
        Point.check_deposit_paid(list({e.point for e in exchanges}))
        storage = configuration.parts_warehouse.storage_location
        collected = configuration.collected_location
        moves = []
        for exchange in exchanges:
            if not exchange.lines:
                raise ExchangeError(gettext(
                        'aftersales_repair_network.msg_exchange_no_lines',
                        exchange=exchange.rec_name))
            point = exchange.point
            for line in exchange.lines:
                moves.append(line._get_move(
                        point.faulty_location, collected, exchange.date))
                moves.append(line._get_move(
                        storage, point.location, exchange.date))
        Move.do_or_raise(moves, StockError(gettext(
                    'aftersales_repair_network.msg_exchange_stock_short',
                    exchanges=', '.join(e.rec_name for e in exchanges),
                    warehouse=storage.rec_name)))

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


class ExchangeLine(CopyResetMixin, ModelSQL, ModelView):
    __string__ = "Old-for-New Exchange Line"
    __name__ = 'aftersales.repair.exchange.line'
    _copy_reset = ['moves']

    exchange = fields.Many2One(
        'aftersales.repair.exchange', "Exchange", required=True,
        ondelete='CASCADE')
    product = fields.Many2One(
        'product.product', "Part", required=True,
        domain=[('type', '=', 'goods')])
    quantity = fields.Float(
        "Quantity", required=True, domain=[('quantity', '>', 0)])
    moves = fields.One2Many('stock.move', 'origin', "Moves", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('exchange')

    def _get_move(self, from_location, to_location, date):
        "Return the move (unsaved) of the line's parts"
        Move = Pool().get('stock.move')
        return Move._get_aftersales_move(
            self.product, self.quantity, from_location, to_location,
            self.exchange.company, self, date)
