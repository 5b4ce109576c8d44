from trytond.i18n import gettext
from trytond.model import ModelSQL, fields
from trytond.modules.aftersales_warranty.configuration import (
    default_record, default_value)
from trytond.modules.aftersales_warranty.configuration import (
    add_sequences, days_field)
from trytond.modules.company.model import CompanyValueMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import CalendarError

MODULE = 'aftersales_rma'

return_warehouse = fields.Many2One(
    'stock.location', "Return Warehouse", required=True,
    domain=[('type', '=', 'warehouse')])
return_location = fields.Many2One(
    'stock.location', "Returns Location", required=True,
    domain=[
        ('type', '=', 'storage'),
        ('parent', 'child_of', [Eval('return_warehouse', -1)]),
        ],
    help="Where returned goods are put away.")


class Configuration(metaclass=PoolMeta):
    "Its sequence fields are added from SEQUENCES below"
    __name__ = 'aftersales.configuration'

    return_week_days = days_field(
        "Days in a Return Week", 'return_week_days', minimum=1,
        help="Week k of a month runs from day (k-1)*n+1 to day k*n.")
    return_weeks = fields.Integer(
        "Return Weeks in a Month", required=True,
        domain=[('return_weeks', '>', 0)],
        help="The days after the last week are in no week.")
    count_days = days_field(
        "Arrival Count Within (days)", 'count_days',
        help="Logistics counts an arrived return by this many days "
        "after arrival (1: the next day).")
    disposal_days = days_field(
        "Disposal Within (days)", 'disposal_days',
        help="Every arrived return is fully disposed this many days "
        "after arrival.")
    dispute_days = days_field(
        "Dispute Inspection Within (days)", 'dispute_days',
        help="The technical department inspects a batch quality dispute "
        "this many days after it is raised.")
    dispute_resolution_days = days_field(
        "Dispute Resolution Within (days)", 'dispute_resolution_days',
        help="Customer service confirms the defect or closes a batch "
        "quality dispute this many days after its inspection is due.")
    non_quality_return_days = days_field(
        "Non-Quality Return Period (days)", 'non_quality_return_days',
        help="Unused goods in intact packaging may be returned for a "
        "reason other than quality this many days after delivery.")
    return_warehouse = fields.MultiValue(return_warehouse)
    return_location = fields.MultiValue(return_location)
    dispute_reason = fields.Many2One(
        'aftersales.rma.reason', "Batch Dispute Reason", required=True,
        domain=[('quality', '=', True)],
        help="The reason of the return a confirmed batch dispute "
        "creates.")

    default_return_warehouse = default_value('return_warehouse')
    default_return_location = default_value('return_location')
    default_dispute_reason = default_record(MODULE, 'reason_quality_batch')

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in {'return_warehouse', 'return_location'}:
            return pool.get('aftersales.configuration.return_location')
        return super().multivalue_model(field)

    def get_return_places(self, company):
        "Return the return warehouse and the returns location of company"
        return tuple(
            self.get_multivalue(name, company=company.id)
            for name in ['return_warehouse', 'return_location'])

    @classmethod
    def validate_fields(cls, configurations, field_names):
        super().validate_fields(configurations, field_names)
        if field_names & {'return_week_days', 'return_weeks'}:
            for configuration in configurations:
                days = configuration.return_week_days or 0
                if days * (configuration.return_weeks or 0) > 28:
                    raise CalendarError(gettext(
                            'aftersales_rma.msg_weeks_exceed_month',
                            weeks=configuration.return_weeks, days=days))

    @classmethod
    def default_return_week_days(cls):
        return 7

    @classmethod
    def default_return_weeks(cls):
        return 3

    @classmethod
    def default_count_days(cls):
        return 1

    @classmethod
    def default_disposal_days(cls):
        return 3

    @classmethod
    def default_dispute_days(cls):
        return 2

    @classmethod
    def default_dispute_resolution_days(cls):
        return 1

    @classmethod
    def default_non_quality_return_days(cls):
        return 7


class ConfigurationSequence(metaclass=PoolMeta):
    "Its sequence fields are added from SEQUENCES below"
    __name__ = 'aftersales.configuration.sequence'


# field name: (label, name of the sequence type and of the default sequence
# [, help])
SEQUENCES = {
    'rma_sequence': ("Return Application Sequence", 'rma'),
    'rma_form_sequence': (
        "Return Registration Form Sequence", 'rma_form',
        "Numbers the registration form that travels with the goods; "
        "logistics checks it at arrival."),
    'dispute_sequence': ("Batch Quality Dispute Sequence", 'dispute'),
    'carrier_claim_sequence': ("Carrier Claim Sequence", 'carrier_claim'),
    }
add_sequences(Configuration, ConfigurationSequence, MODULE, SEQUENCES)


class ConfigurationReturnLocation(ModelSQL, CompanyValueMixin):
    __string__ = "After-Sales Configuration Return Location"
    __name__ = 'aftersales.configuration.return_location'

    return_warehouse = return_warehouse
    return_location = return_location

    default_return_warehouse = default_record('stock', 'location_warehouse')
    default_return_location = default_record(MODULE, 'location_returns')
