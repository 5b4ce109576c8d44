from . import account, application, warranty
from . import consignment, repair, statement

__all__ = [account, application, warranty]
__all__ += [consignment, repair, statement]
