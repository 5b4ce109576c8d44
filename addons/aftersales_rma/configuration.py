from trytond.i18n import gettext
from trytond.model import ModelSQL, fields
from trytond.modules.aftersales_warranty.configuration import (
    CONTEXT_COMPANY, default_record, default_value, sequence_field)
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
    __name__ = 'aftersales.configuration'

    rma_sequence = fields.MultiValue(sequence_field(
            "Return Application Sequence", MODULE, 'rma',
            company=CONTEXT_COMPANY))
    rma_form_sequence = fields.MultiValue(sequence_field(
            "Return Registration Form Sequence", MODULE, 'rma_form',
            help="Numbers the registration form that travels with the "
            "goods; logistics checks it at arrival.",
            company=CONTEXT_COMPANY))
    dispute_sequence = fields.MultiValue(sequence_field(
            "Batch Quality Dispute Sequence", MODULE, 'dispute',
            company=CONTEXT_COMPANY))
    carrier_claim_sequence = fields.MultiValue(sequence_field(
            "Carrier Claim Sequence", MODULE, 'carrier_claim',
            company=CONTEXT_COMPANY))
    return_week_days = fields.Integer(
        "Days in a Return Week", required=True,
        domain=[('return_week_days', '>', 0)],
        help="Week k of a month runs from day (k-1)*n+1 to day k*n.")
    return_weeks = fields.Integer(
        "Return Weeks in a Month", required=True,
        domain=[('return_weeks', '>', 0)],
        help="The days after the last week are in no week.")
    count_days = fields.Integer(
        "Arrival Count Within (days)", required=True,
        domain=[('count_days', '>=', 0)],
        help="Logistics counts an arrived return by this many days "
        "after arrival (1: the next day).")
    disposal_days = fields.Integer(
        "Disposal Within (days)", required=True,
        domain=[('disposal_days', '>=', 0)],
        help="Every arrived return is fully disposed this many days "
        "after arrival.")
    dispute_days = fields.Integer(
        "Dispute Inspection Within (days)", required=True,
        domain=[('dispute_days', '>=', 0)],
        help="The technical department inspects a batch quality dispute "
        "this many days after it is raised.")
    dispute_resolution_days = fields.Integer(
        "Dispute Resolution Within (days)", required=True,
        domain=[('dispute_resolution_days', '>=', 0)],
        help="Customer service confirms the defect or closes a batch "
        "quality dispute this many days after its inspection is due.")
    non_quality_return_days = fields.Integer(
        "Non-Quality Return Period (days)", required=True,
        domain=[('non_quality_return_days', '>=', 0)],
        help="Unused goods in intact packaging may be returned for a "
        "reason other than quality this many days after delivery.")
    return_warehouse = fields.MultiValue(return_warehouse)
    return_location = fields.MultiValue(return_location)
    dispute_reason = fields.Many2One(
        'aftersales.rma.reason', "Batch Dispute Reason", required=True,
        domain=[('quality', '=', True)],
        help="The reason of the return a confirmed batch dispute "
        "creates.")

    default_rma_sequence = default_value('rma_sequence')
    default_rma_form_sequence = default_value('rma_form_sequence')
    default_dispute_sequence = default_value('dispute_sequence')
    default_carrier_claim_sequence = default_value('carrier_claim_sequence')
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
    __name__ = 'aftersales.configuration.sequence'

    rma_sequence = sequence_field(
        "Return Application Sequence", MODULE, 'rma')
    rma_form_sequence = sequence_field(
        "Return Registration Form Sequence", MODULE, 'rma_form',
        help="Numbers the registration form that travels with the goods;"
        " logistics checks it at arrival.")
    dispute_sequence = sequence_field(
        "Batch Quality Dispute Sequence", MODULE, 'dispute')
    carrier_claim_sequence = sequence_field(
        "Carrier Claim Sequence", MODULE, 'carrier_claim')

    default_rma_sequence = default_record(MODULE, 'sequence_rma')
    default_rma_form_sequence = default_record(MODULE, 'sequence_rma_form')
    default_dispute_sequence = default_record(MODULE, 'sequence_dispute')
    default_carrier_claim_sequence = default_record(
        MODULE, 'sequence_carrier_claim')


class ConfigurationReturnLocation(ModelSQL, CompanyValueMixin):
    __string__ = "After-Sales Configuration Return Location"
    __name__ = 'aftersales.configuration.return_location'

    return_warehouse = return_warehouse
    return_location = return_location

    default_return_warehouse = default_record('stock', 'location_warehouse')
    default_return_location = default_record(MODULE, 'location_returns')
