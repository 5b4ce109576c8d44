from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Rule(metaclass=PoolMeta):
    "A portal page reaches the documents of its web user's party"
    __name__ = 'ir.rule'

    @classmethod
    def aftersales_party(cls):
        "The web user's party, for the portal's own user only (W7)"
        transaction = Transaction()
        party_id = transaction.context.get('aftersales_portal_party')
        if party_id is not None and transaction.user == portal_user_id():
            return party_id
        return super().aftersales_party()


def portal_user_id():
    "Return the id of the user the portal's pages run as"
    return Pool().get('ir.model.data').get_id(
        'aftersales_portal', 'user_portal')
