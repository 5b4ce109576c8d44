from trytond.exceptions import UserError


class CallError(UserError):
    pass


class ComplaintError(UserError):
    pass
