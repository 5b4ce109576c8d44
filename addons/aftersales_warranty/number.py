"Documents named by their number"
from trytond.model import fields

from .configuration import NumberedMixin


class NumberMixin(NumberedMixin):
    "A document named by its number, searched as it is written"
    __slots__ = ()
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True)

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
