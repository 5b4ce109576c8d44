from . import account, application, registration, warranty

__all__ = [account, application, registration, warranty]
