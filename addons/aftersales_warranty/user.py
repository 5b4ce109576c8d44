from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    aftersales_party = fields.Many2One(
        'party.party', "After-Sales Party",
        domain=[('aftersales_role', 'not in', [None, 'consumer'])],
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The branch office, logistics partner or dealer this user "
        "works for: record rules show such users their own documents.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._context_fields.insert(0, 'aftersales_party')
