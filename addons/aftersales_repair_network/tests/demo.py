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
from trytond.modules.aftersales_warranty.tests.demo import _translate

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
# days since receipt, [(component code, part code)], outcome
REPAIRS = [
    ('consumer_wang', 'CL-22', 4, 0, [('ballast', 'SP-BAL')], 'done'),
    ('consumer_li', 'CL-32', 8, 0, [('tube', 'SP-CIR'), ('plastic', None)],
        'done'),
    ('consumer_chen', 'RL-26', 2, 5, [('ballast', 'SP-BAL')], 'promised'),
    ]


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
    category = Category(
        name="Repair Network Services", accounting=True,
        account_revenue=accounts['revenue'],
        account_expense=accounts['expense'])
    category.save()
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
    today = today or dt.date.today()
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
    method = PaymentMethod(
        name="Cash", journal=journal, credit_account=accounts['cash'],
        debit_account=accounts['cash'])
    method.save()
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


def create_repairs(channel, products, today=None, config=None):
    """Register the consumers' proofs of purchase and repair their lamps at
    the points of their areas (R1, R2, C7): one free and done, one charged
    with the repair fee (W2), one promised and now overdue

    Return the repair orders.
    """
    Registration = Model.get(
        'aftersales.warranty.registration', config=config)
    Component = Model.get('aftersales.warranty.component', config=config)
    Order = Model.get('aftersales.repair.order', config=config)
    today = today or dt.date.today()
    components = {c.code: c for c in Component.find([])}
    orders = []
    for consumer, product, months, days, lines, outcome in REPAIRS:
        customer = channel[consumer]
        registration = Registration(
            customer=customer, product=products[product],
            proof_of_purchase=f'POP-{customer.id:04d}-{product}',
            purchase_date=today - relativedelta(months=months))
        registration.save()
        registration.click('activate')
        order = Order()
        order.customer = customer
        order.date = today - dt.timedelta(days=days)
        order.registration = registration
        for component, part in lines:
            line = order.lines.new(component=components[component])
            if part:
                line.part = products[part]
        order.save()
        order.click('diagnose')
        if outcome == 'done':
            order.signed_by = customer.name
            order.click('do')
        else:
            order.click('promise')
        orders.append(order)
    return orders


def create_settlement(company, today=None, config=None):
    "Compute the settlement of today's quarter, left to settle (N3)"
    Settlement = Model.get('aftersales.repair.settlement', config=config)
    today = today or dt.date.today()
    start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    settlement = Settlement(
        company=company, start_date=start,
        end_date=start + relativedelta(months=3, days=-1))
    settlement.save()
    settlement.click('compute')
    return settlement


def build(data, config=None):
    """Add the repair network to the demo data of aftersales_warranty

    data is the dict filled by aftersales_warranty.tests.demo.build; it gets
    'network': {'products', 'scales', 'points', 'rebates',
    'compensations', 'repairs', 'settlement'}.
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
    start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    network['rebates'] = create_rebates(
        company, data['channel'], start, config=config)
    network['compensations'] = create_compensations(
        opened, start, config=config)
    network['repairs'] = create_repairs(
        data['channel'], catalogue['products'], today, config=config)
    network['settlement'] = create_settlement(company, today, config=config)
    return data
