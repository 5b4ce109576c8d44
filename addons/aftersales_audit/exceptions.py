from trytond.exceptions import UserError


class AuditError(UserError):
    pass


class WorkbookError(AuditError):
    pass


class CostError(UserError):
    pass
