from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Rule(metaclass=PoolMeta):
    "A portal page reaches the documents of its web user's party"
    __name__ = 'ir.rule'

    @classmethod
    def aftersales_party(cls):
        """The web user's party, for the portal's own user only (W7)

        Without one, the portal's user reaches nothing: never -1, which
        the office managers' rules read as "not bound to a party".
        """
        transaction = Transaction()
        if transaction.user == portal_user_id():
            return transaction.context.get('aftersales_portal_party', 0)
        return super().aftersales_party()


def portal_user_id():
    "Return the id of the user the portal's pages run as"
    return Pool().get('ir.model.data').get_id(
        'aftersales_portal', 'user_portal')
