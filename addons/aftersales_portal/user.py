from trytond.cache import Cache, freeze, unfreeze
from trytond.pool import PoolMeta
from trytond.transaction import Transaction

from .rule import portal_user_id


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    _portal_context_cache = Cache(
        'aftersales_portal.portal_context', context=False)

    @classmethod
    def portal_context(cls):
        """Return the context of the portal's user, its preferences read
        once, not on every page"""
        user_id = portal_user_id()
        cached = cls._portal_context_cache.get(user_id)
        if cached is not None:
            return unfreeze(cached)
        with Transaction().set_user(user_id):
            context = cls.get_preferences(context_only=True)
        # frozen: the cache makes its dictionaries read-only mappings
        cls._portal_context_cache.set(user_id, freeze(context))
        return context

    @classmethod
    def on_modification(cls, mode, users, field_names=None):
        super().on_modification(mode, users, field_names=field_names)
        cls._portal_context_cache.clear()
