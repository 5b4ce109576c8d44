from trytond.cache import Cache
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

_party_cache = Cache('aftersales_rma.user_party', context=False)


def _aftersales_party():
    "Return the id of the current user's after-sales party, or -1"
    User = Pool().get('res.user')
    user_id = Transaction().user
    if not user_id:
        return -1
    party_id = _party_cache.get(user_id)
    if party_id is None:
        with without_check_access():
            party = User(user_id).aftersales_party
        party_id = party.id if party else -1
        _party_cache.set(user_id, party_id)
    return party_id


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def write(cls, *args):
        super().write(*args)
        _party_cache.clear()

    @classmethod
    def delete(cls, users):
        super().delete(users)
        _party_cache.clear()


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        help_ = ('\n- "aftersales_party" as the id of the current user\'s '
            'after-sales party (-1 when none)')
        if help_ not in cls.domain.help:
            cls.domain.help += help_

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        return (*key, _aftersales_party())

    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        context['aftersales_party'] = _aftersales_party()
        return context


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('aftersales.rma.application|flag_overdue',
                    "Flag Overdue Returns"),
                ('aftersales.rma.dispute|flag_overdue',
                    "Flag Overdue Batch Disputes"),
                ])
