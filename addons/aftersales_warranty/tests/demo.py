"""Demo data of a lighting manufacturer, built with proteus

The functions build on each other and can be reused one by one by the
scenarios (each takes an optional proteus ``config``) or all at once with
``setup`` (for ``activate_modules(..., demo.setup)``) or ``build`` (called by
``demo/build.py`` for the demo database). Dates are relative to ``today`` so
that the demo shows lamps inside and outside their windows whenever it is
built.
"""
import datetime as dt
import gettext
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from proteus import Model
from proteus.config import get_config
from trytond.modules.account.tests.tools import (
    create_chart, create_fiscalyear, create_tax, get_accounts)
from trytond.modules.account_invoice.tests.tools import (
    set_fiscalyear_invoice_sequences)
from trytond.modules.company.tests.tools import (
    create_company as _create_company)

LANGUAGES = ['zh_CN', 'zh_TW']
COMPANY_NAME = '粤华照明电器有限公司'
CURRENCY = ('CNY', 'Chinese Yuan Renminbi', '¥', '156', ('人民币', '人民幣'))
TIMEZONE = 'Asia/Shanghai'
VAT_NAME = 'VAT 13%'
VAT_DESCRIPTIONS = {'zh_CN': '增值税 13%', 'zh_TW': '增值稅 13%'}
VAT_RATE = Decimal('0.13')


def company_today(config=None):
    "Today in the time zone of the (first) company, as its users see it"
    Company = Model.get('company.company', config=config)
    company, = Company.find([], order=[('id', 'ASC')], limit=1)
    return dt.datetime.now(ZoneInfo(company.timezone or 'UTC')).date()


def lot_number(code, age, today):
    "The number of the demo lot of product code made age months before today"
    made = today - relativedelta(months=age)
    return f'{code}-{made:%y%m%d}'

# Cities named as first-wave repair network places (N2) and as return
# regions (R11): name, province code, zh_CN, zh_TW
CITIES = [
    ('Guangzhou', 'CN-GD', '广州市', '廣州市'),
    ('Shenzhen', 'CN-GD', '深圳市', '深圳市'),
    ('Xiamen', 'CN-FJ', '厦门市', '廈門市'),
    ('Fuzhou', 'CN-FJ', '福州市', '福州市'),
    ('Quanzhou', 'CN-FJ', '泉州市', '泉州市'),
    ('Wuhan', 'CN-HB', '武汉市', '武漢市'),
    ('Hangzhou', 'CN-ZJ', '杭州市', '杭州市'),
    ('Changsha', 'CN-HN', '长沙市', '長沙市'),
    ]

# key: (name, zh_CN, zh_TW)
CATEGORIES = {
    'ceiling': ('Ceiling Lamps', '吸顶灯', '吸頂燈'),
    'recessed': ('Recessed Lamps', '嵌入式灯', '嵌入式燈'),
    'tubes': ('Tubes', '灯管', '燈管'),
    'cfl': ('Energy-Saving Lamps (CFL)', '节能灯', '節能燈'),
    'parts': ('Spare Parts', '维修配件', '維修配件'),
    'services': ('Services', '服务', '服務'),
    }
# code: (category, name, zh_CN, zh_TW, list price, cost price)
LAMPS = {
    'CL-22': ('ceiling', 'Round Ceiling Lamp 22W',
        '圆形吸顶灯 22W', '圓形吸頂燈 22W', '168.00', '96.00'),
    'CL-32': ('ceiling', 'Round Ceiling Lamp 32W',
        '圆形吸顶灯 32W', '圓形吸頂燈 32W', '228.00', '128.00'),
    'CL-40': ('ceiling', 'Square Ceiling Lamp 2x20W',
        '方形吸顶灯 2x20W', '方形吸頂燈 2x20W', '298.00', '170.00'),
    'RL-13': ('recessed', 'Recessed Downlight 13W',
        '嵌入式筒灯 13W', '嵌入式筒燈 13W', '89.00', '48.00'),
    'RL-18': ('recessed', 'Recessed Downlight 2x18W',
        '嵌入式筒灯 2x18W', '嵌入式筒燈 2x18W', '139.00', '76.00'),
    'RL-26': ('recessed', 'Recessed Grille Lamp 26W',
        '嵌入式格栅灯 26W', '嵌入式格柵燈 26W', '199.00', '112.00'),
    'T8-18': ('tubes', 'T8 Fluorescent Tube 18W',
        'T8 荧光灯管 18W', 'T8 螢光燈管 18W', '12.50', '6.20'),
    'T8-36': ('tubes', 'T8 Fluorescent Tube 36W',
        'T8 荧光灯管 36W', 'T8 螢光燈管 36W', '15.80', '7.90'),
    'T5-28': ('tubes', 'T5 Fluorescent Tube 28W',
        'T5 荧光灯管 28W', 'T5 螢光燈管 28W', '18.00', '9.00'),
    'CFL-11': ('cfl', 'Spiral CFL 11W E27',
        '螺旋节能灯 11W E27', '螺旋節能燈 11W E27', '18.00', '8.50'),
    'CFL-18': ('cfl', 'Spiral CFL 18W E27',
        '螺旋节能灯 18W E27', '螺旋節能燈 18W E27', '22.00', '10.50'),
    'CFL-23': ('cfl', '3U CFL 23W E27',
        '3U 节能灯 23W E27', '3U 節能燈 23W E27', '26.00', '12.50'),
    }
# Parts the company supplies to repair points (W8)
PARTS = {
    'SP-BAL': ('parts', 'Electronic Ballast',
        '电子镇流器', '電子鎮流器', '35.00', '18.00'),
    'SP-CIR': ('parts', 'Circular Tube 22W',
        '环形灯管 22W', '環形燈管 22W', '28.00', '13.00'),
    'SP-FLAT': ('parts', 'Flat Tube 2D 16W',
        '蝶形灯管 2D 16W', '蝶形燈管 2D 16W', '32.00', '15.00'),
    }
REPAIR_FEE = ('REPAIR-FEE', 'services', 'Repair fee', '维修费', '維修費')

# Lots of each lamp, by age in months at ``today``; CFL lots made after the
# date coding started carry a YYMMDD date code (W4).
LOT_AGES = {
    'ceiling': [21, 12, 4],
    'recessed': [21, 12, 4],
    'tubes': [21, 12, 4],
    'cfl': [22, 17, 12, 4],
    }
LOT_QUANTITY = 500
CFL_DATE_CODE = ('YYMMDD', dt.date(2025, 4, 1))

# key: (role, name, upstream key, city or province code, street, phone)
CHANNEL = [
    ('office_shanghai', 'branch_office', '上海办事处', None,
        'CN-SH', '徐汇区漕溪北路 88 号', '021-64381200'),
    ('office_guangzhou', 'branch_office', '广州办事处', None,
        'Guangzhou', '天河区体育西路 103 号', '020-38795500'),
    ('office_wuhan', 'branch_office', '武汉办事处', None,
        'Wuhan', '江汉区解放大道 690 号', '027-85796600'),
    ('logistics_xiamen', 'logistics_partner', '厦门恒通物流有限公司', None,
        'Xiamen', '湖里区兴隆路 27 号', '0592-5712800'),
    ('logistics_hangzhou', 'logistics_partner', '杭州顺达物流有限公司', None,
        'Hangzhou', '拱墅区莫干山路 1418 号', '0571-88152300'),
    ('store_shanghai', 'franchise_store', '上海徐汇灯饰专卖店',
        'office_shanghai', 'CN-SH', '徐汇区肇嘉浜路 1065 号',
        '021-64270011'),
    ('store_guangzhou', 'franchise_store', '广州天河灯饰专卖店',
        'office_guangzhou', 'Guangzhou', '天河区天河路 208 号',
        '020-85590022'),
    ('store_shenzhen', 'franchise_store', '深圳华强照明专卖店',
        'office_guangzhou', 'Shenzhen', '福田区华强北路 1019 号',
        '0755-83660033'),
    ('store_changsha', 'franchise_store', '长沙五一灯饰专卖店',
        'office_wuhan', 'Changsha', '芙蓉区五一大道 389 号',
        '0731-84120044'),
    ('store_fuzhou', 'franchise_store', '福州东街照明专卖店',
        'logistics_xiamen', 'Fuzhou', '鼓楼区东街 92 号', '0591-87550055'),
    ('store_quanzhou', 'franchise_store', '泉州丰泽灯具专卖店',
        'logistics_xiamen', 'Quanzhou', '丰泽区泉秀路 166 号',
        '0595-22180066'),
    ('store_hangzhou', 'franchise_store', '杭州西湖照明专卖店',
        'logistics_hangzhou', 'Hangzhou', '西湖区文三路 259 号',
        '0571-88210077'),
    ('sub_baoan', 'sub_distributor', '宝安灯具分销部', 'store_shenzhen',
        'Shenzhen', '宝安区新安街道建安一路 45 号', '0755-27780088'),
    ('sub_jinjiang', 'sub_distributor', '晋江照明分销部', 'store_quanzhou',
        'Quanzhou', '晋江市青阳街道世纪大道 302 号', '0595-85660099'),
    ('sub_xiaoshan', 'sub_distributor', '萧山灯饰分销部', 'store_hangzhou',
        'Hangzhou', '萧山区金城路 777 号', '0571-82730010'),
    ('consumer_wang', 'consumer', '王芳', None,
        'Guangzhou', '海珠区江南大道中 12 号 501 室', '13800138001'),
    ('consumer_li', 'consumer', '李伟', None,
        'Changsha', '岳麓区麓山南路 8 号 302 室', '13900139002'),
    ('consumer_chen', 'consumer', '陈静', None,
        'Hangzhou', '西湖区曙光路 21 号 1102 室', '13700137003'),
    ('consumer_zhao', 'consumer', '赵磊', None,
        'Shenzhen', '南山区科技园南路 6 号 803 室', '13600136004'),
    ('consumer_liu', 'consumer', '刘洋', None,
        'CN-SH', '浦东新区张杨路 500 号 1506 室', '13500135005'),
    ]

# Sales to dealers: (customer key, age, [(product, quantity, lot age in
# months)]); each is shipped two days after the order. The last ones fall in
# the repair network's settlement period, so its rebates are not nil.
SALES = [
    ('store_shenzhen', relativedelta(months=20), [
            ('CFL-11', 200, 22), ('CL-22', 20, 21), ('T8-36', 100, 21)]),
    ('store_quanzhou', relativedelta(months=16), [
            ('CFL-18', 150, 17), ('RL-13', 30, 21)]),
    ('store_changsha', relativedelta(months=15), [
            ('CFL-23', 120, 17), ('CL-32', 12, 21)]),
    ('sub_jinjiang', relativedelta(months=10), [
            ('CFL-11', 100, 12), ('CFL-23', 80, 12)]),
    ('store_guangzhou', relativedelta(months=9), [
            ('CL-32', 15, 12), ('RL-18', 20, 12), ('T8-18', 120, 12)]),
    ('store_shanghai', relativedelta(months=6), [
            ('CFL-18', 60, 12), ('RL-26', 10, 12)]),
    ('store_hangzhou', relativedelta(months=2), [
            ('CFL-11', 100, 4), ('CL-40', 10, 4), ('RL-26', 12, 4)]),
    ('sub_baoan', relativedelta(months=1), [
            ('CFL-18', 60, 4), ('T5-28', 50, 4)]),
    ('sub_xiaoshan', relativedelta(months=1), [
            ('CFL-23', 40, 4), ('RL-13', 24, 4), ('T8-36', 80, 4)]),
    ('store_guangzhou', relativedelta(days=12), [
            ('CL-22', 40, 4), ('RL-13', 60, 4), ('CFL-18', 200, 4)]),
    ('store_shenzhen', relativedelta(days=9), [
            ('CL-32', 30, 4), ('T8-36', 150, 4)]),
    ('store_shanghai', relativedelta(days=5), [
            ('CL-40', 20, 4), ('CFL-11', 120, 4)]),
    ]


def channel_party(key, config=None):
    "Return the demo party of CHANNEL's key"
    Party = Model.get('party.party', config=config)
    name = next(c[2] for c in CHANNEL if c[0] == key)
    party, = Party.find([('name', '=', name)])
    return party


def _config(config):
    return config if config is not None else get_config()


def _languages(config=None):
    "Return the codes of the translatable languages among LANGUAGES"
    Lang = Model.get('ir.lang', config=config)
    return [l.code for l in Lang.find([
                ('code', 'in', LANGUAGES), ('translatable', '=', True)])]


def _translate(model, records, names, config=None, field='name'):
    """Store names[i] = {lang: name} on records[i] for translatable languages
    (in field, their name by default)

    Nothing happens for a language the database does not translate.
    """
    config = _config(config)
    Model_ = Model.get(model, config=config)
    for code in _languages(config):
        with config.set_context(language=code):
            translated = []
            for record, name in zip(records, names):
                if name.get(code):
                    record = Model_(record.id)
                    setattr(record, field, name[code])
                    translated.append(record)
            Model_.save(translated)


def click(records, button):
    """Click button on records and reload them, as their click on one
    record does: the class's click leaves them stale"""
    if records:
        Model_ = type(records[0])
        Model_.click(records, button)
        Model_.reload(records)


def create_employees(company, names, config=None):
    "Create the company's employees of the party names; return them"
    Party = Model.get('party.party', config=config)
    Employee = Model.get('company.employee', config=config)
    parties = [Party(name=n) for n in names]
    Party.save(parties)
    employees = [Employee(party=p, company=company) for p in parties]
    Employee.save(employees)
    return employees


def get_company(config=None):
    Company = Model.get('company.company', config=config)
    company, = Company.find([('party.name', '=', COMPANY_NAME)])
    return company


def create_currency(config=None):
    "Return the Chinese yuan, created when missing"
    Currency = Model.get('currency.currency', config=config)
    code, name, symbol, numeric, names = CURRENCY
    currencies = Currency.find([('code', '=', code)])
    if currencies:
        return currencies[0]
    currency = Currency(
        name=name, code=code, symbol=symbol, numeric_code=numeric,
        rounding=Decimal('0.01'), digits=2)
    currency.save()
    _translate('currency.currency', [currency],
        [dict(zip(LANGUAGES, names))], config=config)
    return currency


def set_party_language(code=LANGUAGES[0], config=None):
    "Make code the language of the parties created from now on"
    Configuration = Model.get('party.configuration', config=config)
    Lang = Model.get('ir.lang', config=config)
    configuration = Configuration(1)
    configuration.party_lang, = Lang.find([('code', '=', code)])
    configuration.save()


def create_company(subdivisions=None, config=None):
    """Create the lighting manufacturer, in CNY and Asia/Shanghai, in
    Guangzhou (its address gets China and Guangzhou from subdivisions, as
    create_subdivisions returns them, when given)

    The proteus context is reset to the admin's preferences, so that the
    company is the current one.
    """
    Party = Model.get('party.party', config=config)
    Company = Model.get('company.company', config=config)
    set_party_language(config=config)
    party = Party(name=COMPANY_NAME)
    address, = party.addresses
    address.street_unstructured = '白云区广从五路 368 号'
    address.city = 'Guangzhou'
    address.postal_code = '510000'
    if subdivisions:
        address.country = subdivisions['CN']
        address.subdivision = subdivisions['Guangzhou']
    party.contact_mechanisms.new(type='phone', value='020-87654321')
    party.save()
    _create_company(party, create_currency(config=config), config=config)
    company = Company(get_company(config=config).id)
    company.timezone = TIMEZONE
    company.save()
    return company


def create_sister_company(name, company, config=None):
    "Create a company named name, in company's currency, open to the admin"
    Party = Model.get('party.party', config=config)
    Company = Model.get('company.company', config=config)
    User = Model.get('res.user', config=config)
    party = Party(name=name)
    party.save()
    sister = Company(party=party, currency=company.currency)
    sister.save()
    admin = User(_config(config).user)
    admin.companies.append(Company(sister.id))
    admin.save()
    return sister


def switch_company(company, config=None):
    "Make company the admin's current company"
    User = Model.get('res.user', config=config)
    admin = User(_config(config).user)
    admin.company = company
    admin.save()
    _config(config)._context = User.get_preferences(True, {})


def set_company_sequences(company, prefixes, config=None):
    """Give company its own copy of the configuration's sequences, each
    field name of prefixes with its prefix

    The configuration keeps them for company, which becomes the current
    company.
    """
    Configuration = Model.get('aftersales.configuration', config=config)
    switch_company(company, config=config)
    configuration = Configuration(1)
    for name, prefix in prefixes.items():
        sequence, = getattr(configuration, name).duplicate(default={
                'prefix': prefix,
                'company': company.id,
                })
        setattr(configuration, name, sequence)
    configuration.save()
    return configuration


def create_accounting(company, today=None, config=None):
    """Create the chart of accounts, fiscal years and the 13 % VAT

    One fiscal year (with monthly periods and invoice sequences) per
    calendar year from two years before today to today's year, so that the
    demo's past sales can be invoiced.
    """
    today = today or company_today(config)
    create_chart(company, config=config)
    fiscalyears = []
    for year in range(today.year - 2, today.year + 1):
        fiscalyear = set_fiscalyear_invoice_sequences(
            create_fiscalyear(
                company, (dt.date(year, 1, 1), dt.date(year, 12, 31)),
                config=config),
            config=config)
        fiscalyear.click('create_period')
        fiscalyears.append(fiscalyear)
    accounts = get_accounts(company, config=config)
    tax = create_tax(VAT_RATE, company, config=config)
    tax.name = tax.description = VAT_NAME
    tax.save()
    _translate('account.tax', [tax], [VAT_DESCRIPTIONS], config=config,
        field='description')
    return {'accounts': accounts, 'tax': tax, 'fiscalyears': fiscalyears}


def create_subdivisions(config=None):
    """Create China, its provinces (ISO 3166-2) and the demo's cities

    Names and types are those trytond_import_countries gives (with zh_CN and
    zh_TW names when those languages are translatable), so a later full
    import updates these records instead of doubling them. Cities have no
    ISO code: they are 'city' subdivisions under their province.
    Return {ISO code or city name: subdivision}, with 'CN': the country.
    """
    import pycountry

    config = _config(config)
    Country = Model.get('country.country', config=config)
    Subdivision = Model.get('country.subdivision', config=config)

    countries = Country.find([('code', '=', 'CN')])
    if countries:
        country, = countries
    else:
        data = pycountry.countries.get(alpha_2='CN')
        country = Country(
            name=data.name, code='CN', code3=data.alpha_3,
            code_numeric=data.numeric)
        country.save()
        _translate('country.country', [country],
            [_pycountry_names('iso3166-1', data.name, config)],
            config=config)

    existing = {s.code: s for s in Subdivision.find([
                ('country', '=', country.id), ('code', '!=', None)])}
    provinces = sorted(
        pycountry.subdivisions.get(country_code='CN'), key=lambda s: s.code)
    new = []
    for province in provinces:
        if province.code not in existing:
            new.append(Subdivision(
                    country=country, code=province.code, name=province.name,
                    type=province.type.lower()))
    Subdivision.save(new)
    _translate('country.subdivision', new,
        [_pycountry_names('iso3166-2', s.name, config) for s in new],
        config=config)
    result = {s.code: s for s in Subdivision.find([
                ('country', '=', country.id), ('code', '!=', None)])}

    cities = {s.name: s for s in Subdivision.find([
                ('country', '=', country.id), ('type', '=', 'city')])}
    new = []
    for name, province, zh_cn, zh_tw in CITIES:
        if name not in cities:
            new.append(Subdivision(
                    country=country, name=name, type='city',
                    parent=result[province]))
    Subdivision.save(new)
    names = {c[0]: {'zh_CN': c[2], 'zh_TW': c[3]} for c in CITIES}
    _translate('country.subdivision', new, [names[s.name] for s in new],
        config=config)
    result.update({s.name: s for s in Subdivision.find([
                    ('country', '=', country.id), ('type', '=', 'city')])})
    result['CN'] = country
    return result


def _pycountry_names(domain, name, config):
    import pycountry
    names = {}
    for code in LANGUAGES:
        try:
            translation = gettext.translation(
                domain, pycountry.LOCALES_DIR, languages=[code])
        except OSError:
            continue
        names[code] = translation.gettext(name)
    return names


def create_lamp_catalogue(company, config=None):
    """Create the lamp categories and products, the spare parts and the
    repair fee service

    The categories are accounting categories (revenue, expense, 13 % VAT)
    and also the products' categories, which carry the warranty policies.
    Lamps need a lot in storage; CFLs' lots carry date codes.
    Return {'categories': {key: category}, 'products': {code: product}}.
    """
    Category = Model.get('product.category', config=config)
    Template = Model.get('product.template', config=config)
    Uom = Model.get('product.uom', config=config)
    Tax = Model.get('account.tax', config=config)

    accounts = get_accounts(company, config=config)
    tax, = Tax.find([('name', '=', VAT_NAME)], limit=1)
    unit, = Uom.find([('name', '=', 'Unit')])

    categories = {}
    for key, (name, *_) in CATEGORIES.items():
        category = Category(name=name, accounting=True)
        category.account_revenue = accounts['revenue']
        category.account_expense = accounts['expense']
        category.customer_taxes.append(Tax(tax.id))
        categories[key] = category
    Category.save(list(categories.values()))
    _translate('product.category', list(categories.values()),
        [dict(zip(LANGUAGES, v[1:])) for v in CATEGORIES.values()],
        config=config)
    categories = {k: Category(c.id) for k, c in categories.items()}

    templates, names = [], []
    for code, (category, name, zh_cn, zh_tw, list_price, cost_price) in (
            list(LAMPS.items()) + list(PARTS.items())):
        template = Template(
            name=name, code=code, type='goods', default_uom=unit,
            salable=True, list_price=Decimal(list_price),
            account_category=categories[category])
        template.categories.append(Category(categories[category].id))
        if code in LAMPS:
            template.lot_required = ['storage']
        product, = template.products
        product.cost_price = Decimal(cost_price)
        templates.append(template)
        names.append({'zh_CN': zh_cn, 'zh_TW': zh_tw})
    code, category, name, zh_cn, zh_tw = REPAIR_FEE
    template = Template(
        name=name, code=code, type='service', default_uom=unit,
        salable=True, list_price=Decimal(0),
        account_category=categories[category])
    template.categories.append(Category(categories[category].id))
    templates.append(template)
    names.append({'zh_CN': zh_cn, 'zh_TW': zh_tw})
    Template.save(templates)
    _translate('product.template', templates, names, config=config)

    products = {t.code: t.products[0] for t in Template.find([
                ('code', 'in', [t.code for t in templates])])}
    return {'categories': categories, 'products': products}


# key: (name, zh_CN, zh_TW)
POLICIES = {
    'ceiling_recessed': ("Ceiling and Recessed Lamps",
        '吸顶灯及嵌入式灯保修', '吸頂燈及嵌入式燈保修'),
    'tubes': ("Tubes", '灯管保修', '燈管保修'),
    'cfl': ("Energy-Saving Lamps (CFL)", '节能灯保修', '節能燈保修'),
    }
# W3 refusal criteria of the CFL policy, the inspection checklist: code,
# (name, zh_CN, zh_TW), (refusal reason, zh_CN, zh_TW)
CFL_CRITERIA = [
    ('lights', ("Still lights", '仍能点亮', '仍能點亮'),
        ("Lamp still lights", '灯仍能点亮', '燈仍能點亮')),
    ('cap_aged', ("Lamp cap less than 80 % new", '灯头新旧程度低于 80%',
            '燈頭新舊程度低於 80%'),
        ("Lamp cap aged", '灯头已老化', '燈頭已老化')),
    ('tube_greyed', ("Tube greyed", '灯管发灰', '燈管發灰'),
        ("Tube greyed", '灯管发灰', '燈管發灰')),
    ('bridges_blackened', ("Blackened between the bridges", '接桥间发黑',
            '接橋間發黑'),
        ("Tube blackened between the bridges", '灯管接桥间发黑',
            '燈管接橋間發黑')),
    ]


def create_warranty_policies(categories, config=None):
    """Create the W1-W4 policies and give them to the lamp categories

    Ceiling and recessed lamps: ballast 12 months and tube 6 months covered,
    plastic parts not; tubes sold alone: tube 6 months; the faulty
    component of these is repaired, never the whole unit exchanged. CFLs:
    the unit 12 months from purchase, exchanged one-for-one, for a consumer
    within those 12 months and for a dealer within 15 months from
    manufacture (read from the date code, W4), with the W3 exchange
    criteria. Every policy: repair fee 10 % of the parts (W2). CFL date
    codes read YYMMDD and started on 2025-04-01. Names and criteria are
    given in zh_CN and zh_TW.
    Return {'ceiling_recessed': policy, 'tubes': policy, 'cfl': policy}.
    """
    config = _config(config)
    Policy = Model.get('aftersales.warranty.policy', config=config)
    Criterion = Model.get(
        'aftersales.warranty.exchange.criterion', config=config)
    Component = Model.get('aftersales.warranty.component', config=config)
    Category = Model.get('product.category', config=config)
    components = {c.code: c for c in Component.find([])}

    def policy(key, lines):
        record = Policy(
            name=POLICIES[key][0], repair_fee_rate=Decimal('0.10'))
        for code, covered, months in lines:
            line = record.lines.new(component=components[code])
            line.covered = covered
            if covered:
                line.months = months
                line.basis = 'purchase'
        return record

    policies = {
        'ceiling_recessed': policy('ceiling_recessed', [
                ('ballast', True, 12),
                ('tube', True, 6),
                ('plastic', False, None),
                ]),
        'tubes': policy('tubes', [('tube', True, 6)]),
        'cfl': policy('cfl', [('unit', True, 12)]),
        }
    cfl = policies['cfl']
    cfl.consumer_months, cfl.consumer_basis = 12, 'purchase'
    cfl.dealer_months, cfl.dealer_basis = 15, 'manufacture'
    for code, name, reason in CFL_CRITERIA:
        cfl.criteria.new(code=code, name=name[0], reason=reason[0])
    Policy.save(list(policies.values()))
    _translate('aftersales.warranty.policy', list(policies.values()),
        [dict(zip(LANGUAGES, POLICIES[k][1:])) for k in policies],
        config=config)
    for code in _languages(config):
        with config.set_context(language=code):
            criteria = Criterion.find(
                [('policy', '=', cfl.id)], order=[('id', 'ASC')])
            index = 1 + LANGUAGES.index(code)
            for criterion, (_, name, reason) in zip(criteria, CFL_CRITERIA):
                criterion.name = name[index]
                criterion.reason = reason[index]
            Criterion.save(criteria)

    to_save = []
    for key, policy_key in [
            ('ceiling', 'ceiling_recessed'),
            ('recessed', 'ceiling_recessed'),
            ('tubes', 'tubes'),
            ('cfl', 'cfl'),
            ]:
        category = Category(categories[key].id)
        category.warranty_policy = policies[policy_key]
        if key == 'cfl':
            category.date_code_format, category.date_code_start = (
                CFL_DATE_CODE)
        to_save.append(category)
    Category.save(to_save)
    return policies


def set_repair_fee_product(product, config=None):
    "Make product the service sold as the out-of-warranty repair fee (W2)"
    Configuration = Model.get('aftersales.configuration', config=config)
    configuration = Configuration(1)
    configuration.repair_fee_product = product
    configuration.save()
    return configuration


def create_channel(company, subdivisions, config=None):
    """Create the sales channel: branch offices, logistics partners,
    franchise stores under them, sub-distributors under the stores (W7) and
    a few consumers, each with an address in its city or province.
    Return {key: party} (keys as in CHANNEL).
    """
    Party = Model.get('party.party', config=config)
    country = subdivisions['CN']
    parties, pending = {}, list(CHANNEL)
    while pending:
        # Each level of the channel is saved at once, after its upstream
        level = [p for p in pending if p[3] is None or p[3] in parties]
        pending = [p for p in pending if p not in level]
        new = []
        for key, role, name, upstream, place, street, phone in level:
            party = Party(name=name, aftersales_role=role)
            if upstream:
                party.upstream = parties[upstream]
            address, = party.addresses
            address.country = country
            subdivision = subdivisions[place]
            address.subdivision = subdivision
            if subdivision.type == 'city':
                address.city = subdivision.name
            address.street_unstructured = street
            party.contact_mechanisms.new(
                type='mobile' if role == 'consumer' else 'phone',
                value=phone)
            new.append(party)
        Party.save(new)
        parties.update((p[0], party) for p, party in zip(level, new))
    return parties


def receive_stock(company, products, today=None, config=None):
    """Receive lots of every lamp from the supplier into the warehouse

    Each lamp gets the lots of LOT_AGES, made that many months before today
    and received a week later; CFL lots made since date coding started carry
    their date code. Return {(product code, age in months): lot}.
    """
    Location = Model.get('stock.location', config=config)
    Lot = Model.get('stock.lot', config=config)
    Move = Model.get('stock.move', config=config)
    today = today or company_today(config)
    supplier, = Location.find([('code', '=', 'SUP')])
    storage, = Location.find([('code', '=', 'STO')])

    lots = {}
    for code, (category, *_) in LAMPS.items():
        product = products[code]
        for age in LOT_AGES[category]:
            made = today - relativedelta(months=age)
            lot = Lot(product=product, number=lot_number(code, age, today))
            if category == 'cfl' and made >= CFL_DATE_CODE[1]:
                lot.date_code = f'{made:%y%m%d}'
            lots[code, age] = lot
    Lot.save(list(lots.values()))

    moves = []
    for (code, age), lot in lots.items():
        made = today - relativedelta(months=age)
        move = Move(
            product=products[code], lot=lot, quantity=LOT_QUANTITY,
            unit=products[code].default_uom,
            from_location=supplier, to_location=storage,
            unit_price=products[code].cost_price,
            currency=company.currency,
            planned_date=min(made + dt.timedelta(days=7), today))
        move.effective_date = move.planned_date
        moves.append(move)
    Move.save(moves)
    Move.click(moves, 'do')
    return lots


def create_sales(company, channel, products, lots, today=None, config=None):
    """Sell to the dealers, ship the lots of SALES and post the invoices

    Each shipment is assigned, picked, packed and done two days after its
    sale; the warranty module registers the delivered lamps.
    Return the sales.
    """
    Sale = Model.get('sale.sale', config=config)
    Shipment = Model.get('stock.shipment.out', config=config)
    Invoice = Model.get('account.invoice', config=config)
    Lot = Model.get('stock.lot', config=config)
    today = today or company_today(config)
    sales = []
    for customer, age, lines in SALES:
        sale = Sale()
        sale.party = channel[customer]
        sale.sale_date = today - age
        sale.invoice_method = 'order'
        sale.shipment_method = 'order'
        for code, quantity, _ in lines:
            line = sale.lines.new()
            line.product = products[code]
            line.quantity = quantity
        sales.append(sale)
    Sale.save(sales)
    Sale.click(sales, 'quote')
    Sale.click(sales, 'confirm')

    shipments, invoices = [], []
    for sale, (customer, age, lines) in zip(sales, SALES):
        lot_of = {products[code].id: lots[code, lot_age]
            for code, _, lot_age in lines}
        shipment, = sale.shipments
        shipment.effective_date = min(
            sale.sale_date + dt.timedelta(days=2), today)
        for move in shipment.inventory_moves:
            move.lot = Lot(lot_of[move.product.id].id)
        shipments.append(shipment)
        invoice, = sale.invoices
        invoice.invoice_date = sale.sale_date
        invoices.append(invoice)
    Shipment.save(shipments)
    Shipment.click(shipments, 'assign_try')
    assert all(s.state == 'assigned' for s in shipments), [
        (s.customer.name, s.state) for s in shipments]
    Shipment.click(shipments, 'pick')
    Shipment.click(shipments, 'pack')
    Shipment.click(shipments, 'do')
    Invoice.save(invoices)
    Invoice.click(invoices, 'post')
    for sale in sales:
        sale.reload()
    return sales


# Exchange inspections of CFLs (W3, W4): claimant key, product, lot age in
# months, days ago, months since the consumer's purchase (None for a dealer),
# findings ({criterion code: note} of the criteria answered yes), notes,
# customer service's ruling of a referral ('accept' or 'refuse' with its
# decision, None: left open), decided (False: draft)
INSPECTIONS = [
    ('consumer_wang', 'CFL-11', 4, 18, 2, {},
        "不亮，灯头完好", None, True),
    ('consumer_li', 'CFL-18', 12, 11, 7, {'lights': None},
        "顾客称闪烁，检测时仍能点亮", None, True),
    ('consumer_chen', 'CFL-23', 12, 4, 10,
        {'cap_aged': "约六成新", 'tube_greyed': None},
        "灯管发灰，灯头老化", None, True),
    ('sub_jinjiang', 'CFL-11', 12, 15, None, {},
        "整箱中 1 只不亮", None, True),
    ('store_changsha', 'CFL-23', 17, 8, None, {},
        "不亮", None, True),
    ('store_shenzhen', 'CFL-11', 22, 26, None, {},
        "旧批次无日期码，不亮",
        ('accept', "门店出示 2025 年进货发票，同意换货"), True),
    ('store_quanzhou', 'CFL-18', 22, 20, None, {},
        "旧批次无日期码",
        ('refuse', "进货早于保修期，不予换货"), True),
    ('store_shenzhen', 'CFL-11', 22, 2, None, {},
        "旧批次无日期码，待客服裁定", None, True),
    ('consumer_zhao', 'CFL-18', 4, 0, 1, {}, "顾客刚送检", None, False),
    ]
# Out-of-warranty repair quotes (W2): customer key, product, days ago,
# [(part code, quantity)], quoted (False: left in draft)
QUOTES = [
    ('consumer_wang', 'CL-32', 16, [('SP-BAL', 1)], True),
    ('consumer_chen', 'RL-18', 3, [('SP-CIR', 1), ('SP-BAL', 1)], False),
    ]


def create_inspections(channel, products, lots, today=None, config=None):
    """Inspect claimed CFLs over the past weeks and decide them (W3, W4):
    exchanged, refused with their reasons, referred to customer service,
    whose referrals are accepted, refused or left open; the last one waits
    in draft

    Return the inspections.
    """
    Inspection = Model.get('aftersales.warranty.inspection', config=config)
    Referral = Model.get('aftersales.warranty.referral', config=config)
    today = today or company_today(config)
    inspections = []
    for (claimant, code, lot_age, days, months, findings, notes, _,
            _) in INSPECTIONS:
        inspection = Inspection()
        inspection.claimant_type = (
            'consumer' if months is not None else 'dealer')
        inspection.claimant = channel[claimant]
        inspection.product = products[code]
        inspection.lot = lots[code, lot_age]
        inspection.date = today - dt.timedelta(days=days)
        if months is not None:
            inspection.purchase_date = today - relativedelta(months=months)
        for answer in inspection.answers:
            code = answer.criterion.code
            answer.answer = code in findings
            answer.note = findings.get(code)
        inspection.notes = notes
        inspections.append(inspection)
    Inspection.save(inspections)
    click([i for i, spec in zip(inspections, INSPECTIONS) if spec[-1]],
        'decide')
    rulings = {}
    for inspection, spec in zip(inspections, INSPECTIONS):
        ruling = spec[-2]
        if ruling and inspection.referral:
            referral = Referral(inspection.referral.id)
            referral.decision = ruling[1]
            rulings.setdefault(ruling[0], []).append(referral)
    for button, referrals in rulings.items():
        click(referrals, button)
    Inspection.reload(inspections)
    return inspections


def create_quotes(channel, products, today=None, config=None):
    """Quote out-of-warranty repairs: the parts plus the repair fee (W2)

    Return the quotes.
    """
    Quote = Model.get('aftersales.warranty.quote', config=config)
    today = today or company_today(config)
    quotes = []
    for customer, code, days, parts, _ in QUOTES:
        quote = Quote(customer=channel[customer], product=products[code])
        quote.date = today - dt.timedelta(days=days)
        for part, quantity in parts:
            line = quote.lines.new(product=products[part])
            line.quantity = quantity
            line.unit_price = products[part].list_price_used
        quotes.append(quote)
    Quote.save(quotes)
    click([q for q, spec in zip(quotes, QUOTES) if spec[-1]], 'quote')
    return quotes


# Demo logins, one per role, each holding only its role's group: login,
# module and xml id of the group, name, key in CHANNEL of the party the user
# works for (record rules show it its own documents) or None
USERS = [
    ('clerk', 'aftersales_warranty', 'group_clerk', '售后专员 周丽', None),
    ('service', 'aftersales_warranty', 'group_customer_service',
        '客服经理 刘洋', None),
    ('office', 'aftersales_warranty', 'group_office_manager',
        '广州办事处经理 黄强', 'office_guangzhou'),
    ('logistics', 'aftersales_warranty', 'group_logistics',
        '售后物流 陈刚', None),
    ('technical', 'aftersales_warranty', 'group_technical',
        '技术部 张建华', None),
    ('finance', 'aftersales_warranty', 'group_finance', '售后财务 吴敏', None),
    ('vp', 'aftersales_warranty', 'group_vice_president',
        '营销副总裁 林峰', None),
    ('auditor', 'aftersales_warranty', 'group_auditor',
        '售后审计员 郑华', None),
    ]
USER_PASSWORD = 'demo1234'


def create_users(company, channel, users=USERS, config=None):
    """Create a user per entry of users, with the password USER_PASSWORD,
    holding only its role's group, in zh_CN when the database translates it;
    return {login: user}"""
    config = _config(config)
    User = Model.get('res.user', config=config)
    Group = Model.get('res.group', config=config)
    Lang = Model.get('ir.lang', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    Company = Model.get('company.company', config=config)
    langs = Lang.find([
            ('code', '=', LANGUAGES[0]), ('translatable', '=', True)])
    records = []
    for login, module, group, name, party in users:
        user = User(login=login, name=name, password=USER_PASSWORD)
        if langs:
            user.language = langs[0]
        user.groups.append(
            Group(ModelData.get_id(module, group, config.context)))
        user.companies.append(Company(company.id))
        user.company = Company(company.id)
        if party:
            user.aftersales_party = channel[party]
        records.append(user)
    User.save(records)
    return {u.login: u for u in records}


def build(data, config=None):
    """Fill data with the whole demo of this module

    data may hold 'today' (a date, not after the real today: date codes
    cannot be in the future) and gets 'subdivisions', 'company',
    'accounting', 'catalogue', 'policies', 'channel', 'lots', 'sales',
    'inspections' and 'quotes'.
    """
    data['subdivisions'] = create_subdivisions(config=config)
    data['company'] = company = create_company(
        data['subdivisions'], config=config)
    today = data.setdefault('today', company_today(config))
    data['accounting'] = create_accounting(company, today, config=config)
    data['catalogue'] = catalogue = create_lamp_catalogue(
        company, config=config)
    data['policies'] = create_warranty_policies(
        catalogue['categories'], config=config)
    set_repair_fee_product(
        catalogue['products'][REPAIR_FEE[0]], config=config)
    data['channel'] = create_channel(
        company, data['subdivisions'], config=config)
    data['lots'] = receive_stock(
        company, catalogue['products'], today, config=config)
    data['sales'] = create_sales(
        company, data['channel'], catalogue['products'], data['lots'],
        today, config=config)
    data['inspections'] = create_inspections(
        data['channel'], catalogue['products'], data['lots'], today,
        config=config)
    data['quotes'] = create_quotes(
        data['channel'], catalogue['products'], today, config=config)
    data['users'] = create_users(company, data['channel'], config=config)
    return data


def setup(config=None):
    "Build the demo: a set-up function for activate_modules"
    build({}, config=config)
