from . import account, application, warranty

__all__ = [account, application, warranty]
