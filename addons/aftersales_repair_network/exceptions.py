from trytond.exceptions import UserError


class DepositError(UserError):
    pass


class StockError(UserError):
    pass


class RequisitionError(UserError):
    pass


class RepairError(UserError):
    pass


class SettlementError(UserError):
    pass


class DisputeError(UserError):
    pass


class ExchangeError(UserError):
    pass


class VisitError(UserError):
    pass
