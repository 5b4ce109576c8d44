from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access


def aftersales_party():
    "Return the id of the current user's after-sales party, or -1"
    User = Pool().get('res.user')
    user_id = Transaction().user
    if not user_id:
        return -1
    with without_check_access():
        party = User(user_id).aftersales_party
    return party.id if party else -1


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
        return (*key, aftersales_party())

    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        context['aftersales_party'] = aftersales_party()
        return context


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('aftersales.repair.order|flag_overdue',
                    "Flag Overdue Repair Orders"),
                ('aftersales.repair.point|replenish',
                    "Propose Parts Replenishment"),
                ])
