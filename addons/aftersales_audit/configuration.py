"The audits' numbering and deadlines, the cost ledger's accounts, per company"
from trytond.model import ModelSQL, fields
from trytond.modules.aftersales_warranty.configuration import (
    CONTEXT_COMPANY, add_sequences, days_field, default_value)
from trytond.modules.company.model import CompanyValueMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

MODULE = 'aftersales_audit'

report_days = days_field(
    "Audit Report Within (days)", 'report_days',
    "The audit team hands its written report to the vice-president within "
    "this many days of the audit's completion date.")
repeat_repair_days = days_field(
    "Repeat Repair Within (days)", 'repeat_repair_days',
    "A product repaired again within this many days of its last repair "
    "counts against the repair quality.", minimum=1)

rectification_days = days_field(
    "Rectification Within (days)", 'rectification_days',
    "A rectification order is due this many days after it is issued, "
    "unless the line department sets another date.", minimum=1)

AUDIT_FIELDS = {'report_days', 'repeat_repair_days', 'rectification_days'}


def account_field(string, help, company=Eval('company', -1), expense=False):
    """Return a field to the open accounts of company, the expense accounts
    when expense is set"""
    domain = [
        ('company', '=', company),
        ('closed', '!=', True),
        ]
    if expense:
        domain.append(('type.expense', '=', True))
    return fields.Many2One('account.account', string, domain=domain,
        help=help)


def add_cost_account(Configuration, ConfigurationCost, kind, string):
    """Give the configuration and its cost values the expense account of
    the costs of kind: the field cost_<kind>_account

    A module adding a kind of cost to aftersales.cost.line adds the
    kind's account with this function.
    """
    name = 'cost_%s_account' % kind
    help = ("The expense account debited with the costs of this kind "
        "when a cost period is posted.")
    setattr(Configuration, name, fields.MultiValue(account_field(
                string, help, company=CONTEXT_COMPANY, expense=True)))
    setattr(ConfigurationCost, name, account_field(
            string, help, expense=True))


cost_journal = fields.Many2One(
    'account.journal', "Cost Journal",
    domain=[('type', '=', 'general')],
    help="The journal of the moves posting the after-sales cost periods.")
ACCRUAL_HELP = ("The account credited with the after-sales costs of a "
    "period: the clearing account the documents paying them (carrier "
    "invoices, settlement credit notes) are booked against.")
cost_visit_amount = fields.Numeric(
    "Labour Cost of a Service Visit", digits=(16, 4),
    domain=['OR',
        ('cost_visit_amount', '=', None),
        ('cost_visit_amount', '>=', 0),
        ],
    help="The labour cost of one visit done on a service request free "
    "in warranty, in the company's currency.")

COST_FIELDS = {'cost_journal', 'cost_accrual_account', 'cost_visit_amount'}
# kind of cost: the label of its expense account
COST_ACCOUNTS = {
    'labour': "Labour Cost Account",
    'parts': "Replacement Goods Cost Account",
    'freight': "Freight Cost Account",
    'compensation': "Compensation Cost Account",
    'free_parts': "Free Parts Cost Account",
    'audit': "Audit Cost Account",
    }


class Configuration(metaclass=PoolMeta):
    __name__ = 'aftersales.configuration'

    report_days = fields.MultiValue(report_days)
    repeat_repair_days = fields.MultiValue(repeat_repair_days)
    rectification_days = fields.MultiValue(rectification_days)

    default_report_days = default_value('report_days')
    default_repeat_repair_days = default_value('repeat_repair_days')
    default_rectification_days = default_value('rectification_days')

    cost_journal = fields.MultiValue(cost_journal)
    cost_accrual_account = fields.MultiValue(account_field(
            "Cost Accrual Account", ACCRUAL_HELP, company=CONTEXT_COMPANY))
    cost_visit_amount = fields.MultiValue(cost_visit_amount)

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in AUDIT_FIELDS:
            return pool.get('aftersales.configuration.audit')
        if field in COST_FIELDS or (
                field.startswith('cost_') and field.endswith('_account')):
            return pool.get('aftersales.configuration.cost')
        return super().multivalue_model(field)

    @classmethod
    def cost_account(cls, kind, company):
        "Return the expense account of the costs of kind for company"
        return cls.company_value('cost_%s_account' % kind, company)


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
    rectification_days = rectification_days

    @classmethod
    def default_report_days(cls):
        "The default deadline of the audit report (RULEBOOK A6): editable"
        return 7

    @classmethod
    def default_rectification_days(cls):
        "The default time given to a rectification order (A7): editable"
        return 14

    @classmethod
    def default_repeat_repair_days(cls):
        "The window of a repeat repair (RULEBOOK C10): editable"
        return 90


class ConfigurationCost(ModelSQL, CompanyValueMixin):
    __string__ = "After-Sales Configuration Cost"
    __name__ = 'aftersales.configuration.cost'

    cost_journal = cost_journal
    cost_accrual_account = account_field(
        "Cost Accrual Account", ACCRUAL_HELP)
    cost_visit_amount = cost_visit_amount


for kind, string in COST_ACCOUNTS.items():
    add_cost_account(Configuration, ConfigurationCost, kind, string)
