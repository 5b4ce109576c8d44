"The audits' numbering and deadlines, per company"
from trytond.model import ModelSQL, fields
from trytond.modules.aftersales_warranty.configuration import (
    add_sequences, days_field, default_value)
from trytond.modules.company.model import CompanyValueMixin
from trytond.pool import Pool, PoolMeta

MODULE = 'aftersales_audit'

report_days = days_field(
    "Audit Report Within (days)", 'report_days',
    "The audit team hands its written report to the vice-president within "
    "this many days of the audit's completion date.")
repeat_repair_days = days_field(
    "Repeat Repair Within (days)", 'repeat_repair_days',
    "A product repaired again within this many days of its last repair "
    "counts against the repair quality.", minimum=1)

AUDIT_FIELDS = {'report_days', 'repeat_repair_days'}


class Configuration(metaclass=PoolMeta):
    __name__ = 'aftersales.configuration'

    report_days = fields.MultiValue(report_days)
    repeat_repair_days = fields.MultiValue(repeat_repair_days)

    default_report_days = default_value('report_days')
    default_repeat_repair_days = default_value('repeat_repair_days')

    @classmethod
    def multivalue_model(cls, field):
        if field in AUDIT_FIELDS:
            return Pool().get('aftersales.configuration.audit')
        return super().multivalue_model(field)

    @classmethod
    def audit_value(cls, field_name, company):
        "Return the value of field_name for company"
        return cls(1).get_multivalue(field_name, company=company.id)


class ConfigurationSequence(metaclass=PoolMeta):
    __name__ = 'aftersales.configuration.sequence'


# field name: (label, name of the sequence type and of the default sequence)
SEQUENCES = {
    'audit_plan_sequence': ("Audit Plan Sequence", 'audit_plan'),
    'rectification_sequence': (
        "Rectification Order Sequence", 'rectification'),
    }
add_sequences(Configuration, ConfigurationSequence, MODULE, SEQUENCES)


class ConfigurationAudit(ModelSQL, CompanyValueMixin):
    __string__ = "After-Sales Configuration Audit"
    __name__ = 'aftersales.configuration.audit'

    report_days = report_days
    repeat_repair_days = repeat_repair_days

    @classmethod
    def default_report_days(cls):
        "The default deadline of the audit report (RULEBOOK A6): editable"
        return 7

    @classmethod
    def default_repeat_repair_days(cls):
        "The window of a repeat repair (RULEBOOK C10): editable"
        return 90
