"""Demo data of the returns module, built with proteus

``create_return_calendar`` sets the R11 schedule on the subdivisions that
``aftersales_warranty.tests.demo.create_subdivisions`` returns (provinces by
their ISO 3166-2 code, the demo's cities by name); ``build`` adds it to a
demo built by the warranty module's ``build``. The other functions file
the past weeks' returns, batch disputes and carrier claims of the channel
that demo creates.
"""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from proteus import Model
from trytond.modules.aftersales_rma.schedule import week_window
from trytond.modules.aftersales_warranty.tests.demo import (
    CHANNEL, CITIES, click, company_today, create_employees)

# R11: the return week of each region; Shanxi's week covers Inner Mongolia
# and Gansu's Qinghai and Ningxia. Fujian itself has no week: only its
# three cities do. Jilin, Tibet, Hong Kong, Macau and Taiwan have none.
R11_SCHEDULE = {
    1: ['CN-HL', 'CN-LN', 'CN-TJ', 'CN-BJ', 'CN-SX', 'CN-NM', 'CN-HE',
        'CN-SC', 'CN-GZ', 'CN-SN', 'CN-GS', 'CN-QH', 'CN-NX', 'CN-XJ',
        'CN-CQ', 'CN-YN'],
    2: ['CN-AH', 'CN-JS', 'CN-SH', 'CN-ZJ', 'Fuzhou', 'Xiamen', 'Quanzhou',
        'CN-JX'],
    3: ['CN-HB', 'CN-HN', 'CN-SD', 'CN-HA', 'CN-GD', 'CN-GX', 'CN-HI'],
    }


def create_return_calendar(subdivisions, config=None):
    """Give each region of R11 its return week

    subdivisions maps an ISO code or a city name to its subdivision; the
    regions it lacks are left out. Regions that already have a week keep
    it. Return {key: region week}.
    """
    RegionWeek = Model.get('aftersales.rma.region.week', config=config)
    existing = {r.subdivision.id: r for r in RegionWeek.find([])}
    result, new = {}, []
    for week, keys in sorted(R11_SCHEDULE.items()):
        for key in keys:
            subdivision = subdivisions.get(key)
            if subdivision is None:
                continue
            if subdivision.id in existing:
                result[key] = existing[subdivision.id]
                continue
            record = RegionWeek(subdivision=subdivision, week=week)
            new.append(record)
            result[key] = record
    RegionWeek.save(new)
    return result


# The carrier of the returns
CARRIER = '德邦物流股份有限公司'
# Return applications: sender key, state reached, months before the
# sender's latest return week that has passed (None: its coming week),
# [(product, lot age in months, quantity, reason code, fault)]
RETURNS = [
    ('office_shanghai', 'done', 1, [
            ('CFL-18', 12, 6, 'Q1', "灯管两端发黑，不亮"),
            ('RL-26', 12, 2, 'Q1', "镇流器烧坏")]),
    ('office_wuhan', 'counted', 0, [
            ('CFL-23', 17, 10, 'Q1', "使用两个月后不亮"),
            ('CL-32', 21, 2, 'Q1', "灯罩开裂")]),
    ('logistics_xiamen', 'arrived', 0, [
            ('CFL-18', 17, 8, 'Q1', "点亮后闪烁"),
            ('RL-13', 21, 3, 'Q1', "灯珠部分不亮")]),
    ('logistics_hangzhou', 'approved', None, [
            ('CL-40', 4, 2, 'Q1', "遥控失灵"),
            ('RL-26', 4, 3, 'Q1', "灯珠部分不亮")]),
    ('office_guangzhou', 'refused', 1, [
            ('T8-36', 21, 30, 'Q1', "灯管发黑")]),
    ('office_guangzhou', 'submitted', None, [
            ('CL-32', 12, 3, 'Q1', "镇流器异响"),
            ('T8-18', 12, 20, 'Q1', "启动慢")]),
    ('office_shanghai', 'draft', None, [
            ('CFL-18', 12, 5, 'Q1', "不亮")]),
    ]
STATE_ORDER = ['draft', 'signed', 'submitted', 'approved', 'shipped',
    'arrived', 'counted', 'done']
ASSESSMENT = "经办事处检验，故障属产品质量问题，申请返厂。"
REFUSAL = "整批已超出保修期，请按付费维修处理。"
# The received count of each line of a counted return, and the disposal of
# the disposed ones: (exchange, credit, reject, reject reason)
COUNTS = {
    'office_shanghai': [5, 2],
    'office_wuhan': [10, 2],
    }
DISPOSALS = {
    'office_shanghai': [(4, 0, 1, "灯头有人为撬痕"), (0, 2, 0, None)],
    }
# Batch quality disputes (W5): dealer key, product, lot age in months,
# quantity, days since raised, problem, outcome ('confirm', 'close' or None:
# left open), technician's finding
DISPUTES = [
    ('store_quanzhou', 'CFL-18', 17, 40, 20, "整批灯管发黑，多位顾客投诉",
        'confirm', "抽检 20 只，焊点虚焊，整批缺陷属实"),
    ('store_changsha', 'CFL-23', 17, 15, 12, "部分灯点亮后闪烁",
        'close', "抽检 20 只均正常，系门店线路电压不稳"),
    ('sub_xiaoshan', 'T8-36', 4, 20, 6, "灯管两端发黑", None, None),
    ('store_hangzhou', 'RL-26', 4, 6, 1, "筒灯灯珠不亮", None, None),
    ]
TECHNICIAN = '张建国'
# Carrier claims (W6): sender key of the return, incident, amount, waybill,
# description, settled amount (None: filed only, False: left in draft)
CLAIMS = [
    ('office_shanghai', 'lost', '180.00', 'DB2025110801',
        "到货少 1 只节能灯", '150.00'),
    ('logistics_xiamen', 'damaged', '320.00', 'DB2025111203',
        "外箱压破，2 只灯罩破损", None),
    ('office_wuhan', 'damaged', '90.00', 'DB2025111605',
        "包装受潮", False),
    ]


def _region_week(place):
    "Return the R11 week of a place (an ISO code or a demo city's name)"
    province = {c[0]: c[1] for c in CITIES}
    for key in [place, province.get(place)]:
        for week, keys in R11_SCHEDULE.items():
            if key in keys:
                return week


def return_week(sender, today, months=None, config=None):
    """Return (first, last) day of sender's return week

    The week of ``months`` months before the latest one that ended at least
    three days before today, or the coming week (the current one included)
    when months is None. sender is a key of the warranty demo's CHANNEL.
    """
    Configuration = Model.get('aftersales.configuration', config=config)
    days = Configuration(1).return_week_days
    place = {c[0]: c[4] for c in CHANNEL}[sender]
    week = _region_week(place)
    month = today.replace(day=1)
    first, last = week_window(month.year, month.month, week, days)
    if months is None:
        if last < today:
            month += relativedelta(months=1)
    else:
        if last > today - dt.timedelta(days=3):
            month -= relativedelta(months=1)
        month -= relativedelta(months=months)
    return week_window(month.year, month.month, week, days)


def create_carrier(config=None):
    "Create the carrier of the returns"
    Party = Model.get('party.party', config=config)
    carrier = Party(name=CARRIER)
    carrier.save()
    return carrier


def create_returns(channel, products, lots, carrier, today=None,
        config=None):
    """File the channel's return applications of the past weeks, each taken
    as far as its state in RETURNS: signed and submitted by their office
    (R4, R5), approved or refused by customer service, shipped in their
    return week (R6), arrived and counted by logistics (R8), disposed with
    exchanges, a credit note and a rejection (R9)

    Return {sender key: [applications]}, in the order of RETURNS.
    """
    Application = Model.get('aftersales.rma.application', config=config)
    Reason = Model.get('aftersales.rma.reason', config=config)
    today = today or company_today(config)
    reasons = {r.code: r for r in Reason.find([])}
    applications = []
    for sender, state, months, lines in RETURNS:
        first, _ = return_week(sender, today, months, config=config)
        application = Application(sender=channel[sender])
        application.planned_date = max(first, today) if months is None else (
            first + dt.timedelta(days=1))
        application.date = min(
            application.planned_date - dt.timedelta(days=6), today)
        application.assessment = ASSESSMENT
        for code, lot_age, quantity, reason, fault in lines:
            line = application.lines.new(product=products[code])
            line.lot = lots[code, lot_age]
            line.quantity = quantity
            line.reason = reasons[reason]
            line.description = fault
        applications.append(application)
    Application.save(applications)

    def reached(state):
        "The applications whose state in RETURNS comes at or after state"
        def rank(state):
            return STATE_ORDER.index(
                'submitted' if state == 'refused' else state)
        return [a for a, spec in zip(applications, RETURNS)
            if spec[1] == state or (state != 'refused'
                and rank(spec[1]) >= rank(state))]

    click(reached('signed'), 'sign')
    click(reached('submitted'), 'submit')
    refused = reached('refused')
    for application in refused:
        application.refusal_reason = REFUSAL
    click(refused, 'refuse')
    click(reached('approved'), 'approve')
    shipped = reached('shipped')
    for application in shipped:
        application.shipped_date = application.planned_date
        application.carrier = carrier
        application.freight_cost = Decimal('120.00')
    click(shipped, 'ship')
    arrived = reached('arrived')
    for application in arrived:
        application.received_form_number = application.form_number
        application.arrival_date = (
            application.shipped_date + dt.timedelta(days=2))
    click(arrived, 'arrive')

    by_sender = {}
    for application, spec in zip(applications, RETURNS):
        by_sender.setdefault(spec[0], []).append(application)
    counted = reached('counted')
    for application in counted:
        sender = RETURNS[applications.index(application)][0]
        for line, received in zip(application.lines, COUNTS[sender]):
            line.received_quantity = received
            line.condition = 'intact'
        application.counted_date = application.count_due
    click(counted, 'count')
    done = reached('done')
    for application in done:
        sender = RETURNS[applications.index(application)][0]
        for line, disposal in zip(application.lines, DISPOSALS[sender]):
            exchange, credit, reject, reason = disposal
            line.exchange_quantity = exchange
            line.credit_quantity = credit
            if credit:
                line.unit_price = line.product.list_price_used
            line.reject_quantity = reject
            line.reject_reason = reason
    click(done, 'dispose')
    return by_sender


def create_disputes(channel, products, lots, technician, today=None,
        config=None):
    """Raise the dealers' batch quality disputes (W5): one confirmed, whose
    batch comes back on a specially approved return, one closed without
    defect, one open and past its inspection date, and yesterday's still
    in draft

    Return the disputes.
    """
    Dispute = Model.get('aftersales.rma.dispute', config=config)
    today = today or company_today(config)
    disputes = []
    for dealer, code, lot_age, quantity, days, problem, _, _ in DISPUTES:
        dispute = Dispute(dealer=channel[dealer], lot=lots[code, lot_age])
        dispute.quantity = quantity
        dispute.raised_date = today - dt.timedelta(days=days)
        dispute.description = problem
        disputes.append(dispute)
    Dispute.save(disputes)
    click(disputes[:-1], 'open')
    decided = {}
    for dispute, spec in zip(disputes, DISPUTES):
        outcome, finding = spec[-2:]
        if outcome:
            dispute.technician = technician
            dispute.inspection_date = (
                dispute.raised_date + dt.timedelta(days=1))
            dispute.finding = finding
            decided.setdefault(outcome, []).append(dispute)
    for outcome, records in decided.items():
        click(records, outcome)
    return disputes


def create_carrier_claims(returns, carrier, today=None, config=None):
    """Claim the goods lost or damaged in transit from the carrier (W6):
    settled, filed and in draft

    returns is create_returns' result. Return the claims.
    """
    Claim = Model.get('aftersales.rma.carrier.claim', config=config)
    claims = []
    for sender, incident, amount, waybill, description, _ in CLAIMS:
        application = returns[sender][0]
        claim = Claim(customer=application.sender, carrier=carrier,
            application=application, incident=incident)
        claim.date = application.arrival_date
        claim.shipment_reference = waybill
        claim.description = description
        claim.amount = Decimal(amount)
        claims.append(claim)
    Claim.save(claims)
    click([c for c, s in zip(claims, CLAIMS) if s[-1] is not False], 'file')
    settled = []
    for claim, spec in zip(claims, CLAIMS):
        if spec[-1]:
            claim.settled_amount = Decimal(spec[-1])
            settled.append(claim)
    click(settled, 'settle')
    return claims


def build(data, config=None):
    """Add the returns demo to data built by the warranty demo

    data needs 'subdivisions', 'company', 'channel', 'catalogue', 'lots'
    and 'today'; it gets 'return_calendar' and 'returns': {'applications',
    'disputes', 'claims'}.
    """
    data['return_calendar'] = create_return_calendar(
        data['subdivisions'], config=config)
    today = data['today']
    channel, lots = data['channel'], data['lots']
    products = data['catalogue']['products']
    carrier = create_carrier(config=config)
    applications = create_returns(
        channel, products, lots, carrier, today, config=config)
    # the technical department's technician of the disputes
    technician, = create_employees(
        data['company'], [TECHNICIAN], config=config)
    data['returns'] = {
        'applications': applications,
        'disputes': create_disputes(
            channel, products, lots, technician, today, config=config),
        'claims': create_carrier_claims(
            applications, carrier, today, config=config),
        }
    return data
