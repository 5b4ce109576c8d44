"""Demo data of the after-sales cost ledger (C9)

build(data, config) runs after the demos of aftersales_warranty, _rma,
_repair_network and _service: it sets up the cost accounting, closes and
posts last month's costs and gathers this month's, left open.
"""
import calendar
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from proteus import Model

from trytond.modules.aftersales_warranty.tests.demo import _config, click

from ..cost_line import KINDS

# name of the account, and whether it is the expense account
ACCOUNTS = [('售后服务成本', True), ('售后服务成本预提', False)]
# The labour cost of a visit on a service request free in warranty
VISIT_AMOUNT = Decimal('60')
# Last month's costs finance adds by hand: office, kind, amount, description
MANUAL_COSTS = [
    ('logistics_xiamen', 'freight', Decimal('860'), "厦门恒通物流运费发票"),
    ('office_wuhan', 'compensation', Decimal('300'), "武汉办事处质量补偿"),
    ('office_shanghai', 'labour', Decimal('480'), "上海办事处上门维修人工"),
    ]


def month(date):
    "Return the first and last days of the month of date"
    last = calendar.monthrange(date.year, date.month)[1]
    return date.replace(day=1), date.replace(day=last)


def configure_costs(company, accounts, config=None):
    """Create the after-sales cost and accrual accounts and set the cost
    accounting of the configuration; return the two accounts"""
    Account = Model.get('account.account', config=config)
    AccountType = Model.get('account.account.type', config=config)
    Configuration = Model.get('aftersales.configuration', config=config)
    Journal = Model.get('account.journal', config=config)
    liability, = AccountType.find([
            ('company', '=', company.id), ('statement', '=', 'balance'),
            ('payable', '=', False), ('receivable', '=', False),
            ('stock', '=', False), ('assets', '=', False),
            ], limit=1)
    types = {True: accounts['expense'].type, False: liability}
    expense, accrual = records = [
        Account(company=company, name=name, type=types[is_expense])
        for name, is_expense in ACCOUNTS]
    Account.save(records)
    journal, = Journal.find([('code', '=', 'MISC')])
    configuration = Configuration(1)
    configuration.cost_journal = journal
    configuration.cost_accrual_account = accrual
    configuration.cost_visit_amount = VISIT_AMOUNT
    for kind, _ in KINDS:
        setattr(configuration, 'cost_%s_account' % kind, expense)
    configuration.save()
    return expense, accrual


def create_period(company, date, config=None):
    "Create the cost period of the month of date and gather its costs"
    Period = Model.get('aftersales.cost.period', config=config)
    start, end = month(date)
    period = Period(
        company=company, name=start.strftime('%Y-%m'), start_date=start,
        end_date=end)
    period.save()
    click([period], 'gather')
    return period


def add_manual_costs(period, channel):
    "Add the costs finance enters by hand, dated the period's last day"
    for key, kind, amount, description in MANUAL_COSTS:
        period.lines.new(
            date=period.end_date, kind=kind, amount=amount,
            office=channel[key], description=description)
    period.save()


def build(data, config=None):
    """Add the cost ledger to the demo data

    data gets 'cost': {'accounts', 'periods'}: last month's period closed
    and posted, this month's open with its gathered costs.
    """
    config = _config(config)
    company = data['company']
    today = data['today']
    cost = data['cost'] = {}
    cost['accounts'] = configure_costs(
        company, data['accounting']['accounts'], config=config)
    last = create_period(company, today - relativedelta(months=1), config)
    add_manual_costs(last, data['channel'])
    click([last], 'close')
    cost['periods'] = [last, create_period(company, today, config)]
    return data
