from trytond.cache import Cache
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .party_field import party_field

_party_cache = Cache('aftersales_warranty.user_party', context=False)


def aftersales_party():
    "Return the id of the current user's after-sales party, or -1"
    user_id = Transaction().user
    if not user_id:
        return -1
    party_id = _party_cache.get(user_id)
    if party_id is None:
        User = Pool().get('res.user')
        with without_check_access():
            party = User(user_id).aftersales_party
        party_id = party.id if party else -1
        _party_cache.set(user_id, party_id)
    return party_id


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    aftersales_party = party_field(
        "After-Sales Party",
        domain=[('aftersales_role', 'not in', [None, 'consumer'])],
        help="The branch office, logistics partner or dealer this user "
        "works for: record rules show such users their own documents.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._context_fields.insert(0, 'aftersales_party')

    @classmethod
    def write(cls, *args):
        super().write(*args)
        _party_cache.clear()

    @classmethod
    def delete(cls, users):
        super().delete(users)
        _party_cache.clear()


class Rule(metaclass=PoolMeta):
    "Record rules may name the user's after-sales party"
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += (
            '\n- "aftersales_party" as the id of the current user\'s '
            'after-sales party (-1 when none)'
            '\n- "aftersales_parties" as the ids of that party and of the '
            'dealers it answers for')

    @classmethod
    def aftersales_party(cls):
        """Return the id of the party whose documents the current user
        reaches, or -1"""
        return aftersales_party()

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        return (*key, cls.aftersales_party())

    @classmethod
    def _get_context(cls, model_name):
        "The one party scope of every record rule (W7)"
        pool = Pool()
        Party = pool.get('party.party')
        context = super()._get_context(model_name)
        party_id = cls.aftersales_party()
        context['aftersales_party'] = party_id
        context['aftersales_parties'] = Party.answered_for(party_id)
        return context
