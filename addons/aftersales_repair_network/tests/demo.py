"""Demo data of the repair network, built with proteus

Each function takes the records it needs (most from the demo of
aftersales_warranty) and an optional proteus ``config``; ``build`` chains
them for ``demo/build.py`` after ``aftersales_warranty.tests.demo.build``.
Scenarios reuse the smaller ones.
"""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from proteus import Model
from proteus.config import get_config
from trytond.modules.aftersales_warranty.tests.demo import (
    _translate, click, company_today, create_users)

# The accounting category of the services: name, zh_CN, zh_TW
SERVICES_CATEGORY = ("Repair Network Services", '维修网络服务', '維修網絡服務')
# Service products of the network: code, name, zh_CN, zh_TW
SERVICES = {
    'deposit': ('RN-DEPOSIT', "Parts Deposit", '配件押金', '配件押金'),
    'rebate': ('RN-REBATE', "Dealer Rebate", '经销商返利', '經銷商返利'),
    'compensation': ('RN-COMP', "Repair-Fee Compensation",
        '维修费补偿', '維修費補償'),
    }
# Sales scales: name, zh_CN, zh_TW, minimum annual sales of the coverage,
# {part code: (initial quantity, safety quantity)}
SCALES = [
    ("Small", '小型', '小型', '0', {
            'SP-BAL': (10, 4), 'SP-CIR': (10, 4), 'SP-FLAT': (6, 2)}),
    ("Medium", '中型', '中型', '500000', {
            'SP-BAL': (20, 8), 'SP-CIR': (16, 6), 'SP-FLAT': (10, 4)}),
    ("Large", '大型', '大型', '1500000', {
            'SP-BAL': (30, 10), 'SP-CIR': (24, 8), 'SP-FLAT': (16, 6)}),
    ]
PARTS_RECEIVED = 200
# The payment method of the deposits: name, zh_CN, zh_TW
PAYMENT_METHOD = ("Cash", '现金', '現金')
# The first wave (N2): point party key, office key, coverage keys, lighting
# market, coverage annual sales; keys as in aftersales_warranty's demo
POINTS = [
    ('store_guangzhou', 'office_guangzhou', ['Guangzhou'],
        '广州海珠广场灯饰城', '1800000'),
    ('store_shenzhen', 'office_guangzhou', ['Shenzhen', 'CN-GD'],
        '深圳华强北灯具市场', '900000'),
    ('store_fuzhou', 'logistics_xiamen', ['Fuzhou', 'Xiamen'],
        '福州东街灯饰市场', '600000'),
    ('store_shanghai', 'office_shanghai', ['CN-SH'],
        '上海不夜城灯饰市场', '2000000'),
    ('store_hangzhou', 'logistics_hangzhou', ['Hangzhou'],
        '杭州灯具市场', '700000'),
    ('store_changsha', 'office_wuhan', ['Changsha', 'Wuhan'],
        '长沙高桥灯饰市场', '500000'),
    # The last one waits for customer service's approval
    ('store_quanzhou', 'logistics_xiamen', ['Quanzhou'],
        '泉州丰泽灯具城', '300000'),
    ]
# Rebate agreements: party key, rate, [(threshold, rate)]
REBATES = [
    ('store_guangzhou', '0.02', [('10000', '0.03')]),
    ('store_shenzhen', '0.02', [('10000', '0.03')]),
    ('store_shanghai', '0.02', []),
    ('store_hangzhou', '0.015', []),
    ]
# Compensation per point: per repair in warranty, per settlement period
COMPENSATION = ('20.00', '100.00')
# Consumers' repairs: consumer key, product code, months since purchase,
# days since receipt, [(component code, part code)], state reached (done,
# promised: open, and overdue once past its date, diagnosed), fault
# Purchases registered in the last days, not activated yet: consumer key,
# product code, days ago
PURCHASES = [
    ('consumer_wang', 'RL-13', 1),
    ('consumer_li', 'CL-22', 0),
    ]
# Parts a repair point asks for beyond its replenishments: code, quantity
PARTS_REQUESTED = [('SP-BAL', 10), ('SP-CIR', 5)]
REPAIRS = [
    ('consumer_wang', 'CL-22', 4, 0, [('ballast', 'SP-BAL')], 'done',
        "灯不亮，镇流器有焦味"),
    ('consumer_li', 'CL-32', 8, 2, [('tube', 'SP-CIR'), ('plastic', None)],
        'done', "灯管不亮，灯罩开裂"),
    ('consumer_chen', 'RL-26', 2, 9, [('ballast', 'SP-BAL')], 'promised',
        "开灯后闪烁几下熄灭"),
    ('consumer_zhao', 'RL-13', 3, 1, [('ballast', 'SP-BAL')], 'promised',
        "通电无反应"),
    ('consumer_liu', 'CL-40', 5, 0, [('tube', 'SP-CIR')], 'diagnosed',
        "一侧灯管不亮"),
    ]
# Old-for-new exchanges of faulty parts at the offices (N4, W8): point party
# key, [(part code, quantity)], done
EXCHANGES = [
    ('store_guangzhou', [('SP-BAL', 1)], True),
    ('store_changsha', [('SP-CIR', 1)], False),
    ]
# Visits to the points (N5): point party key, days ago (negative: planned),
# topics, findings, quality feedback, service feedback
VISITS = [
    ('store_shanghai', 30, ['parts', 'training'],
        "配件账实相符；培训两名维修员", "春季批次镇流器早期失效偏多",
        "顾客对当天修复满意"),
    ('store_guangzhou', 12, ['guidance', 'service'],
        "指导吸顶灯镇流器更换流程", None, "周末排队较长，建议增加人手"),
    ('store_shenzhen', -5, ['returns'], None, None, None),
    ]
# Disputes about repairs (N6, W9): consumer key of the repair, days ago,
# complaint, then as far as given: response, (responsibility, ruling),
# resolution, (cause, analysis)
DISPUTES = [
    ('consumer_li', 1, "顾客认为灯管应在保修期内免费更换",
        "灯管保修 6 个月，已超期，按规定收取配件费和维修费",
        ('customer', "维修点收费符合保修政策"),
        "向顾客出示保修卡条款，顾客认可",
        ('charges', "顾客不了解灯管与镇流器保修期不同")),
    ('consumer_chen', 0, "超过承诺日期仍未修好，要求换新",
        None, None, None, None),
    ]
# The repair point's demo login, as aftersales_warranty's demo USERS
USERS = [
    ('repairpoint', 'aftersales_repair_network', 'group_repair_point',
        '广州天河特约维修部 何伟', 'store_guangzhou'),
    ]
# The settlements: the previous quarter's is settled, the current one's is
# computed and left to settle (N3)


def _quarter(date, quarters=0):
    "Return (first, last) day of date's quarter, quarters later"
    first = date.replace(month=(date.month - 1) // 3 * 3 + 1, day=1)
    first += relativedelta(months=3 * quarters)
    return first, first + relativedelta(months=3, days=-1)

def _config(config):
    return config if config is not None else get_config()


def create_network_products(accounts, config=None):
    """Create the deposit, rebate and compensation services, in an
    accounting category of their own without taxes, and put them in the
    after-sales configuration

    accounts is {kind: account} (account's get_accounts). Return
    {'deposit': product, 'rebate': product, 'compensation': product}.
    """
    Category = Model.get('product.category', config=config)
    Template = Model.get('product.template', config=config)
    Uom = Model.get('product.uom', config=config)
    Configuration = Model.get('aftersales.configuration', config=config)
    name, zh_cn, zh_tw = SERVICES_CATEGORY
    category = Category(
        name=name, accounting=True,
        account_revenue=accounts['revenue'],
        account_expense=accounts['expense'])
    category.save()
    _translate('product.category', [category],
        [{'zh_CN': zh_cn, 'zh_TW': zh_tw}], config=config)
    unit, = Uom.find([('name', '=', 'Unit')])
    templates = {}
    for key, (code, name, *_) in SERVICES.items():
        templates[key] = Template(
            name=name, code=code, type='service', default_uom=unit,
            salable=True, list_price=Decimal(0), account_category=category)
    Template.save(list(templates.values()))
    _translate('product.template', list(templates.values()),
        [{'zh_CN': s[2], 'zh_TW': s[3]} for s in SERVICES.values()],
        config=config)
    products = {k: Template(t.id).products[0] for k, t in templates.items()}
    configuration = Configuration(1)
    configuration.deposit_product = products['deposit']
    configuration.rebate_product = products['rebate']
    configuration.compensation_product = products['compensation']
    configuration.save()
    return products


def create_scales(company, parts, config=None):
    """Create the sales scales and their initial parts (N4, C8)

    parts is {part code: product}. Return {name: scale}.
    """
    Scale = Model.get('aftersales.repair.scale', config=config)
    scales = {}
    for name, _, _, minimum, quantities in SCALES:
        scale = Scale(
            name=name, company=company, minimum_sales=Decimal(minimum))
        for code, (quantity, safety) in quantities.items():
            if code in parts:
                scale.parts.new(
                    product=parts[code], quantity=quantity,
                    safety_quantity=safety)
        scales[name] = scale
    Scale.save(list(scales.values()))
    _translate('aftersales.repair.scale', list(scales.values()),
        [{'zh_CN': s[1], 'zh_TW': s[2]} for s in SCALES], config=config)
    return {n: Scale(s.id) for n, s in scales.items()}


def receive_parts(company, parts, quantity=PARTS_RECEIVED, today=None,
        config=None):
    "Receive quantity of each part product into the warehouse's storage"
    Location = Model.get('stock.location', config=config)
    Move = Model.get('stock.move', config=config)
    today = today or company_today(config)
    supplier, = Location.find([('code', '=', 'SUP')])
    storage, = Location.find([('code', '=', 'STO')])
    moves = []
    for product in parts.values():
        move = Move(
            product=product, quantity=quantity, from_location=supplier,
            to_location=storage, unit_price=product.cost_price,
            currency=company.currency, planned_date=today,
            effective_date=today)
        moves.append(move)
    Move.save(moves)
    Move.click(moves, 'do')
    return moves


def create_payment_method(accounts, config=None):
    "Create a cash payment method for the pay wizard"
    Journal = Model.get('account.journal', config=config)
    PaymentMethod = Model.get('account.invoice.payment.method', config=config)
    journal, = Journal.find([('type', '=', 'cash')], limit=1)
    name, zh_cn, zh_tw = PAYMENT_METHOD
    method = PaymentMethod(
        name=name, journal=journal, credit_account=accounts['cash'],
        debit_account=accounts['cash'])
    method.save()
    _translate('account.invoice.payment.method', [method],
        [{'zh_CN': zh_cn, 'zh_TW': zh_tw}], config=config)
    return method


def pay_invoice(invoice, payment_method, config=None):
    "Pay the whole amount of a posted invoice with the pay wizard"
    pay = invoice.click('pay')
    pay.form.payment_method = payment_method
    pay.execute('choice')
    invoice.reload()
    return invoice


def apply_points(company, channel, subdivisions, config=None):
    """Apply for the first-wave repair points (N1, N2)

    channel and subdivisions come from aftersales_warranty's demo. Return
    {party key: point}.
    """
    Point = Model.get('aftersales.repair.point', config=config)
    Subdivision = Model.get('country.subdivision', config=config)
    points = {}
    for party, office, coverage, market, sales in POINTS:
        point = Point(
            company=company, party=channel[party], office=channel[office],
            market=market)
        point.annual_sales = Decimal(sales)
        for key in coverage:
            point.coverage.append(Subdivision(subdivisions[key].id))
        point.save()
        points[party] = point
    return points


def open_points(points, payment_method, config=None):
    """Approve the points, pay their deposits and issue their initial parts
    (N4, C8)"""
    Point = Model.get('aftersales.repair.point', config=config)
    Requisition = Model.get('aftersales.repair.requisition', config=config)
    points = list(points)
    Point.click(points, 'approve')
    for point in points:
        point.reload()
        if point.deposit_invoice:
            pay_invoice(point.deposit_invoice, payment_method, config=config)
    requisitions = Requisition.find([
            ('point', 'in', [p.id for p in points]),
            ('kind', '=', 'initial'),
            ])
    Requisition.click(requisitions, 'approve')
    Requisition.click(requisitions, 'issue')
    return points


def create_rebates(company, channel, start_date, config=None):
    "Create the dealers' rebate agreements (N3); return them"
    Rebate = Model.get('aftersales.repair.rebate', config=config)
    rebates = []
    for party, rate, tiers in REBATES:
        rebate = Rebate(
            company=company, party=channel[party], start_date=start_date,
            rate=Decimal(rate))
        for threshold, tier_rate in tiers:
            rebate.tiers.new(
                threshold=Decimal(threshold), rate=Decimal(tier_rate))
        rebates.append(rebate)
    Rebate.save(rebates)
    return rebates


def create_compensations(points, start_date, config=None):
    "Propose and decide a compensation scheme per point (N3); return them"
    Compensation = Model.get('aftersales.repair.compensation', config=config)
    per_repair, per_period = COMPENSATION
    schemes = [Compensation(
            company=p.company, point=p, start_date=start_date,
            amount_per_repair=Decimal(per_repair),
            amount_per_period=Decimal(per_period)) for p in points]
    Compensation.save(schemes)
    Compensation.click(schemes, 'decide')
    return schemes


def register_purchases(channel, products, today=None, config=None):
    """Register the consumers' purchases of the last days, left for the
    clerk to check and activate

    Return the registrations.
    """
    Registration = Model.get(
        'aftersales.warranty.registration', config=config)
    today = today or company_today(config)
    registrations = []
    for consumer, product, days in PURCHASES:
        customer = channel[consumer]
        registrations.append(Registration(
                customer=customer, product=products[product],
                proof_of_purchase=f'POP-{customer.id:04d}-{product}-NEW',
                purchase_date=today - dt.timedelta(days=days)))
    Registration.save(registrations)
    return registrations


def request_parts(point, parts, today=None, config=None):
    """The point asks for parts beyond its replenishments (C8): a request
    waiting for the office's approval

    Return the requisition.
    """
    Requisition = Model.get('aftersales.repair.requisition', config=config)
    requisition = Requisition(point=point, kind='request')
    requisition.date = today or company_today(config)
    for code, quantity in PARTS_REQUESTED:
        line = requisition.lines.new()
        line.product = parts[code]
        line.quantity = quantity
    requisition.save()
    requisition.click('request')
    return requisition


def create_repairs(channel, products, today=None, config=None):
    """Register the consumers' proofs of purchase and repair their lamps at
    the points of their areas (R1, R2, C7) over the last days: free and
    done, charged with the repair fee (W2) and done, promised, promised and
    now overdue, diagnosed

    Return the repair orders.
    """
    Registration = Model.get(
        'aftersales.warranty.registration', config=config)
    Component = Model.get('aftersales.warranty.component', config=config)
    Order = Model.get('aftersales.repair.order', config=config)
    today = today or company_today(config)
    components = {c.code: c for c in Component.find([])}
    registrations, orders = [], []
    for consumer, product, months, *_ in REPAIRS:
        customer = channel[consumer]
        registrations.append(Registration(
                customer=customer, product=products[product],
                proof_of_purchase=f'POP-{customer.id:04d}-{product}',
                purchase_date=today - relativedelta(months=months)))
    Registration.save(registrations)
    click(registrations, 'activate')
    for registration, (consumer, _, _, days, lines, _, fault) in zip(
            registrations, REPAIRS):
        order = Order()
        order.customer = channel[consumer]
        order.date = today - dt.timedelta(days=days)
        order.registration = registration
        order.fault = fault
        for component, part in lines:
            line = order.lines.new(component=components[component])
            if part:
                line.part = products[part]
        orders.append(order)
    Order.save(orders)
    click(orders, 'diagnose')

    def reached(*states):
        return [o for o, r in zip(orders, REPAIRS) if r[5] in states]
    # A repair not done on the day of receipt was promised
    click([o for o in reached('done', 'promised')
            if o.date < today or o not in reached('done')], 'promise')
    done = reached('done')
    for order in done:
        order.signer_name = order.customer.name
    click(done, 'do')
    return orders


def create_exchanges(points, products, today=None, config=None):
    """Exchange the points' faulty parts for new ones at their offices (N4,
    W8): one done, one waiting in draft

    Return the exchanges.
    """
    Exchange = Model.get('aftersales.repair.exchange', config=config)
    today = today or company_today(config)
    exchanges = []
    for point, parts, _ in EXCHANGES:
        exchange = Exchange(point=points[point], date=today)
        for code, quantity in parts:
            exchange.lines.new(product=products[code], quantity=quantity)
        exchanges.append(exchange)
    Exchange.save(exchanges)
    click([e for e, spec in zip(exchanges, EXCHANGES) if spec[-1]], 'do')
    return exchanges


def create_visits(points, today=None, config=None):
    "Record the offices' past visits to the points and plan one (N5)"
    Visit = Model.get('aftersales.repair.visit', config=config)
    today = today or company_today(config)
    visits = []
    for point, days, topics, findings, quality, service in VISITS:
        visit = Visit(point=points[point])
        visit.date = today - dt.timedelta(days=days)
        visit.topics = topics
        visit.findings = findings
        visit.quality_feedback = quality
        visit.service_feedback = service
        visits.append(visit)
    Visit.save(visits)
    click([v for v, spec in zip(visits, VISITS) if spec[3]], 'do')
    return visits


def create_disputes(repairs, today=None, config=None):
    """Record the customers' disputes about repairs (N6, W9): one
    responded to, ruled, resolved and reported, one open

    repairs are create_repairs' orders. Return the disputes.
    """
    Dispute = Model.get('aftersales.repair.dispute', config=config)
    today = today or company_today(config)
    orders = {r[0]: o for o, r in zip(repairs, REPAIRS)}
    disputes = []
    for consumer, days, description, *_ in DISPUTES:
        dispute = Dispute(repair=orders[consumer])
        dispute.date = today - dt.timedelta(days=days)
        dispute.description = description
        disputes.append(dispute)
    Dispute.save(disputes)
    steps = [
        ('respond', lambda d, response: setattr(d, 'response', response)),
        ('rule', lambda d, ruling: (
                setattr(d, 'responsibility', ruling[0]),
                setattr(d, 'ruling', ruling[1]))),
        ('resolve', lambda d, resolution: setattr(
                d, 'resolution', resolution)),
        ('report', lambda d, cause: (
                setattr(d, 'cause', cause[0]),
                setattr(d, 'analysis', cause[1]))),
        ]
    for i, (button, fill) in enumerate(steps):
        records = []
        for dispute, spec in zip(disputes, DISPUTES):
            value = spec[3 + i]
            if value:
                fill(dispute, value)
                records.append(dispute)
        click(records, button)
    return disputes


def create_settlement(company, today=None, quarters=0, settle=False,
        config=None):
    """Compute the settlement of today's quarter, or of quarters later,
    and settle it when settle is set (N3)"""
    Settlement = Model.get('aftersales.repair.settlement', config=config)
    today = today or company_today(config)
    start, end = _quarter(today, quarters)
    settlement = Settlement(company=company, start_date=start, end_date=end)
    settlement.save()
    click([settlement], 'queue_compute')
    if settle:
        click([settlement], 'queue_settle')
    return settlement


def build(data, config=None):
    """Add the repair network to the demo data of aftersales_warranty

    data is the dict filled by aftersales_warranty.tests.demo.build; it gets
    'network': {'products', 'scales', 'points', 'rebates',
    'compensations', 'repairs', 'registrations', 'requests', 'exchanges',
    'visits', 'disputes', 'settlements'}.
    """
    config = _config(config)
    company = data['company']
    today = data['today']
    catalogue = data['catalogue']
    parts = {c: p for c, p in catalogue['products'].items()
        if c.startswith('SP-')}
    network = data['network'] = {}
    network['products'] = create_network_products(
        data['accounting']['accounts'], config=config)
    network['scales'] = create_scales(company, parts, config=config)
    receive_parts(company, parts, today=today, config=config)
    payment_method = create_payment_method(
        data['accounting']['accounts'], config=config)
    points = apply_points(
        company, data['channel'], data['subdivisions'], config=config)
    # The last point stays applied, waiting for customer service
    *opened, _ = points.values()
    open_points(opened, payment_method, config=config)
    network['points'] = points
    # The agreements date from the previous quarter, settled already
    start, _ = _quarter(today, -1)
    network['rebates'] = create_rebates(
        company, data['channel'], start, config=config)
    network['compensations'] = create_compensations(
        opened, start, config=config)
    network['repairs'] = repairs = create_repairs(
        data['channel'], catalogue['products'], today, config=config)
    network['registrations'] = register_purchases(
        data['channel'], catalogue['products'], today, config=config)
    network['requests'] = [request_parts(
            opened[0], parts, today, config=config)]
    network['exchanges'] = create_exchanges(
        points, catalogue['products'], today, config=config)
    network['visits'] = create_visits(points, today, config=config)
    network['disputes'] = create_disputes(repairs, today, config=config)
    network['settlements'] = [
        create_settlement(company, today, -1, settle=True, config=config),
        create_settlement(company, today, config=config),
        ]
    data.setdefault('users', {}).update(
        create_users(company, data['channel'], USERS, config=config))
    return data
