from . import (
    account, application, consignment, registration, repair, statement,
    warranty)

__all__ = [
    account, application, consignment, registration, repair, statement,
    warranty]
