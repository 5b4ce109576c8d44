"The claims the warranty check answers, and its answers"
from dataclasses import dataclass
import datetime as dt


@dataclass
class Claim:
    """A warranty claim: give a registration, a lot or a product

    claimant is 'consumer' or 'dealer'; component limits the answer to one
    component, otherwise every coverage line of the policy is answered.
    cause is the defect's cause: one the warranty does not cover is
    answered "not covered" for every component; None (not stated) is
    answered on the dates alone.
    """
    claim_date: dt.date
    claimant: str = 'consumer'
    product: object = None
    lot: object = None
    registration: object = None
    purchase_date: dt.date = None
    component: object = None
    cause: object = None


@dataclass
class Answer:
    """One answer of the check

    component is None for the one-for-one exchange of the whole unit.
    referred is True when the claim goes to customer service for a
    decision instead of being answered (W4 uncoded lamp).
    cause is set when the answer is "not covered" because of the cause;
    months and basis give the window an answer on dates counts.
    """
    covered: bool
    reason: str
    rule: str
    component: object = None
    until: dt.date = None
    referred: bool = False
    policy: object = None
    cause: object = None
    months: int = None
    basis: str = None
