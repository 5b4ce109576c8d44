from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError


class DepositError(UserError):
    pass


class StockError(UserError):
    pass


class RequisitionError(UserError):
    pass


class RepairError(UserError):
    pass


class RepairDateError(ValidationError):
    pass


class SettlementError(UserError):
    pass


class SettlementOpenPeriodWarning(UserWarning):
    pass


class DisputeError(UserError):
    pass


class ExchangeError(UserError):
    pass


class VisitError(UserError):
    pass
