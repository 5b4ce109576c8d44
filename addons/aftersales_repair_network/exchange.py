"The old-for-new exchange of parts (N4, W8)"
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.aftersales_warranty.configuration import (
    NumberedMixin)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.modules.aftersales_warranty.document import DocumentMixin

from .exceptions import ExchangeError, StockError
from .stock import do_moves, new_move

_draft = {'readonly': Eval('state') != 'draft'}


class Exchange(DocumentMixin, NumberedMixin, Workflow, ModelSQL, ModelView):
    """A repair point hands in faulty parts at its office or logistics
    partner and takes as many new ones: one operation moves both."""
    __string__ = "Old-for-New Exchange"
    __name__ = 'aftersales.repair.exchange'
    _rec_name = 'number'
    _number_sequence = 'repair_exchange_sequence'

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
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
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

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('point')
    def on_change_with_office(self, name=None):
        return self.point.office if self.point else None

    @classmethod
    def check_modification(cls, mode, exchanges, values=None, external=False):
        super().check_modification(
            mode, exchanges, values=values, external=external)
        if mode == 'delete':
            for exchange in exchanges:
                if exchange.state == 'done':
                    raise AccessError(gettext(
                            'aftersales_repair_network.msg_exchange_delete',
                            exchange=exchange.rec_name))

    @classmethod
    def copy(cls, exchanges, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('done_by')
        return super().copy(exchanges, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, exchanges):
        """Move each faulty part from the point to the collected faulty
        parts and a new one from the parts warehouse to the point (N4)

        The faulty parts must be at the point, the new ones in stock and
        the point's deposit paid; otherwise nothing moves.
        """
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        Point = pool.get('aftersales.repair.point')
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
                moves.append(new_move(
                        line.product, line.quantity, point.faulty_location,
                        collected, exchange.company, line, exchange.date))
                moves.append(new_move(
                        line.product, line.quantity, storage, point.location,
                        exchange.company, line, exchange.date))
        do_moves(moves, StockError(gettext(
                    'aftersales_repair_network.msg_exchange_stock_short',
                    exchanges=', '.join(e.rec_name for e in exchanges),
                    warehouse=storage.rec_name)))
        cls.write(exchanges, {'done_by': Transaction().user})

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


class ExchangeLine(ModelSQL, ModelView):
    __string__ = "Old-for-New Exchange Line"
    __name__ = 'aftersales.repair.exchange.line'

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

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('moves')
        return super().copy(lines, default=default)
