from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class UpstreamError(ValidationError):
    pass


class DateCodeError(ValidationError):
    pass


class PolicyError(ValidationError):
    pass


class ClaimError(UserError):
    pass


class DateOrderError(ValidationError):
    pass


class RegistrationError(UserError):
    pass


class InspectionError(UserError):
    pass


class ReferralError(UserError):
    pass


class QuoteError(UserError):
    pass
