from trytond.exceptions import UserError


class AuditError(UserError):
    pass


class CostError(UserError):
    pass
