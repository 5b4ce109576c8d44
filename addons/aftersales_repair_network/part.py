"The lines of parts: of a document, or of a list kept for a parent"
from trytond.model import Unique, fields
from trytond.modules.aftersales_warranty.document import CopyResetMixin
from trytond.pool import Pool


class PartMixin:
    """A line of a part, which belongs to the record of the field named
    _document"""
    __slots__ = ()
    _document = None

    product = fields.Many2One(
        'product.product', "Part", required=True,
        domain=[('type', '=', 'goods')])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add(cls._document)


class PartsLineMixin(PartMixin, CopyResetMixin):
    "A line of parts that its document moves"
    __slots__ = ()
    _copy_reset = ['moves']

    quantity = fields.Float(
        "Quantity", required=True, domain=[('quantity', '>', 0)])
    moves = fields.One2Many('stock.move', 'origin', "Moves", readonly=True)

    def _get_move(self, from_location, to_location, date):
        "Return the move (unsaved) of the line's parts"
        Move = Pool().get('stock.move')
        return Move._get_aftersales_move(
            self.product, self.quantity, from_location, to_location,
            getattr(self, self._document).company, self, date)


class PartLevelMixin(PartMixin):
    """A part of the list of its document, each product once, with the
    quantity below which it is replenished"""
    __slots__ = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            (f'{cls._document}_product_unique',
                Unique(t, getattr(t, cls._document), t.product),
                f'aftersales_repair_network.msg_{cls._document}_part_unique'),
            ]

    @classmethod
    def default_safety_quantity(cls):
        return 0
