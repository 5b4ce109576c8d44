"The customer-service desk's numbering, deadlines and hours, per company"
import datetime as dt

from trytond.model import ModelSQL, fields
from trytond.modules.aftersales_warranty.configuration import (
    add_sequences, days_field, default_value)
from trytond.modules.company.model import CompanyValueMixin
from trytond.pool import Pool, PoolMeta

MODULE = 'aftersales_service'


order_cutoff = fields.Time(
    "Order Cut-Off", required=True,
    help="Order calls taken before this time (in the company's time zone) "
    "go to the sales channel the same working day, later ones the next "
    "working day.")
reply_days = days_field(
    "Complaint Reply Within (working days)", 'reply_days',
    "A complaint is answered within this many working days, counted from "
    "the day after its receipt.")
progress_days = days_field(
    "Progress Update Within (days)", 'progress_days',
    "A complex complaint gets a progress update within this many working "
    "days of its receipt.")
follow_up_days = days_field(
    "Follow-Up Within (days)", 'follow_up_days',
    "A closed complaint or service request of a member customer is "
    "followed up within this many days.")
first_contact_days = days_field(
    "First Contact Within (days)", 'first_contact_days',
    "A customer newly assigned to a specialist is contacted within this "
    "many days.")
calling_start = fields.Time(
    "Calling Hours From", required=True,
    help="Customers are not called before this time.")
calling_end = fields.Time(
    "Calling Hours To", required=True,
    help="Customers are not called after this time.")

SERVICE_FIELDS = {
    'order_cutoff', 'reply_days', 'progress_days', 'follow_up_days',
    'first_contact_days', 'calling_start', 'calling_end'}


class Configuration(metaclass=PoolMeta):
    __name__ = 'aftersales.configuration'

    order_cutoff = fields.MultiValue(order_cutoff)
    reply_days = fields.MultiValue(reply_days)
    progress_days = fields.MultiValue(progress_days)
    follow_up_days = fields.MultiValue(follow_up_days)
    first_contact_days = fields.MultiValue(first_contact_days)
    calling_start = fields.MultiValue(calling_start)
    calling_end = fields.MultiValue(calling_end)

    default_order_cutoff = default_value('order_cutoff')
    default_reply_days = default_value('reply_days')
    default_progress_days = default_value('progress_days')
    default_follow_up_days = default_value('follow_up_days')
    default_first_contact_days = default_value('first_contact_days')
    default_calling_start = default_value('calling_start')
    default_calling_end = default_value('calling_end')

    @classmethod
    def multivalue_model(cls, field):
        if field in SERVICE_FIELDS:
            return Pool().get('aftersales.configuration.service')
        return super().multivalue_model(field)


class ConfigurationSequence(metaclass=PoolMeta):
    __name__ = 'aftersales.configuration.sequence'


# field name: (label, name of the sequence type and of the default sequence)
SEQUENCES = {
    'call_sequence': ("Hotline Call Sequence", 'call'),
    'service_request_sequence': (
        "Service Request Sequence", 'service_request'),
    'follow_up_sequence': ("Follow-Up Sequence", 'follow_up'),
    }
add_sequences(Configuration, ConfigurationSequence, MODULE, SEQUENCES)


class ConfigurationService(ModelSQL, CompanyValueMixin):
    __string__ = "After-Sales Configuration Customer Service"
    __name__ = 'aftersales.configuration.service'

    order_cutoff = order_cutoff
    reply_days = reply_days
    progress_days = progress_days
    follow_up_days = follow_up_days
    first_contact_days = first_contact_days
    calling_start = calling_start
    calling_end = calling_end

    @classmethod
    def default_order_cutoff(cls):
        "The default order cut-off (RULEBOOK C2): editable"
        return dt.time(10, 0)

    @classmethod
    def default_reply_days(cls):
        "The default reply deadline (RULEBOOK C11): editable"
        return 5

    @classmethod
    def default_progress_days(cls):
        "The default progress update of complex complaints (C11)"
        return 2

    @classmethod
    def default_follow_up_days(cls):
        "The default follow-up deadline (RULEBOOK C6): editable"
        return 3

    @classmethod
    def default_first_contact_days(cls):
        "The default first contact of a new customer (RULEBOOK C12)"
        return 7

    @classmethod
    def default_calling_start(cls):
        "The default start of the calling hours (RULEBOOK C6)"
        return dt.time(9, 0)

    @classmethod
    def default_calling_end(cls):
        "The default end of the calling hours (RULEBOOK C6)"
        return dt.time(20, 0)
