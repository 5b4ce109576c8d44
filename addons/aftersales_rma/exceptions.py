from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class CalendarError(ValidationError):
    pass


class ApplicationError(UserError):
    pass


class ScheduleError(UserError):
    pass


class ArrivalError(UserError):
    pass


class DispositionError(UserError):
    pass


class DisputeError(UserError):
    pass


class CarrierClaimError(UserError):
    pass
