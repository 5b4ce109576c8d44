from trytond.exceptions import UserError


class AuditError(UserError):
    pass


class WorkbookError(AuditError):
    pass
