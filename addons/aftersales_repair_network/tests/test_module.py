import datetime as dt
from decimal import Decimal

from trytond import backend
from trytond.exceptions import UserError, UserWarning
from trytond.modules.aftersales_warranty.tests.test_module import (
    cause, create_ceiling_policy, create_product)
from trytond.modules.aftersales_warranty.tests.tools import (
    count_queries, load_translations, new_company)
from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from ..exceptions import RepairDateError, SettlementError


def create_point(company, lang=None, **values):
    """Return an approved repair point of a franchise store and its office,
    both reading lang, created with values"""
    pool = Pool()
    Party = pool.get('party.party')
    Scale = pool.get('aftersales.repair.scale')
    Point = pool.get('aftersales.repair.point')
    party = {
        'lang': lang.id if lang else None, 'addresses': [('create', [{}])]}
    office, = Party.create([{
                'name': "Guangzhou Office",
                'aftersales_role': 'branch_office', **party}])
    store, = Party.create([{
                'name': "Tianhe Store",
                'aftersales_role': 'franchise_store',
                'upstream': office.id, **party}])
    scale, = Scale.create([{
                'name': "Small", 'company': company.id,
                'minimum_sales': 0}])
    point, = Point.create([{
                'company': company.id, 'party': store.id,
                'office': office.id, 'address': store.addresses[0].id,
                'market': "Haizhu Lighting Market",
                'annual_sales': 0, 'scale': scale.id, **values}])
    Point.approve([point])
    return point


def put_in_stock(product, quantity, location, company, date):
    "Bring quantity product into location from lost and found"
    pool = Pool()
    Location = pool.get('stock.location')
    Move = pool.get('stock.move')
    lost_found, = Location.search([('type', '=', 'lost_found')])
    move = Move._get_aftersales_move(
        product, quantity, lost_found, location, company, None, date)
    move.save()
    Move.do([move])


def create_order(point, product, date, component='ballast', cause_code=None,
        part=None):
    "Return a draft repair order of one faulty component of product"
    pool = Pool()
    Party = pool.get('party.party')
    Component = pool.get('aftersales.warranty.component')
    Order = pool.get('aftersales.repair.order')
    customer, = Party.create([{
                'name': "Wang Fang", 'addresses': [('create', [{}])]}])
    component, = Component.search([('code', '=', component)])
    line = {'component': component.id, 'part': part.id if part else None}
    if cause_code:
        line['cause'] = cause(cause_code).id
    order, = Order.create([{
                'company': point.company.id, 'point': point.id,
                'date': date, 'customer': customer.id,
                'product': product.id, 'proof_of_purchase': "R-0001",
                'purchase_date': date - dt.timedelta(days=30),
                'lines': [('create', [line])],
                }])
    return order


def create_lamp_order(company, date):
    "Return a draft repair order of a ceiling lamp at a new repair point"
    lamp = create_product(create_ceiling_policy())
    return create_order(create_point(company), lamp, date)


def create_product_of(name, type, list_price, account_category=None):
    "Return a product of type sold at list_price"
    pool = Pool()
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    unit, = Uom.search([('name', '=', "Unit")])
    template, = Template.create([{
                'name': name, 'type': type, 'default_uom': unit.id,
                'list_price': list_price, 'salable': True,
                'sale_uom': unit.id,
                'account_category': (
                    account_category.id if account_category else None),
                'products': [('create', [{}])],
                }])
    return template.products[0]


def create_revenue_category():
    "Return a product category of the company's revenue account"
    pool = Pool()
    Account = pool.get('account.account')
    Category = pool.get('product.category')
    revenue, = Account.search([
            ('type.revenue', '=', True),
            ('closed', '!=', True),
            ], limit=1)
    category, = Category.create([{
                'name': "Revenue", 'accounting': True,
                'account_revenue': revenue.id}])
    return category


def set_rebate_product():
    "Set the rebate product to a new service of the revenue category"
    Configuration = Pool().get('aftersales.configuration')
    Configuration.write([Configuration(1)], {
            'rebate_product': create_product_of(
                "Rebate", 'service', 0, create_revenue_category()).id})


def create_rebated_offices(company, names, start_date):
    "Return the branch offices of names, each with a rebate from start_date"
    pool = Pool()
    Party = pool.get('party.party')
    Rebate = pool.get('aftersales.repair.rebate')
    offices = Party.create([
            {'name': name, 'aftersales_role': 'branch_office'}
            for name in names])
    Rebate.create([{
                'company': company.id, 'party': office.id,
                'start_date': start_date, 'rate': Decimal('0.02')}
            for office in offices])
    return offices


def create_settlement(company, party, start_date, end_date, amount=None):
    "Return a draft settlement of the period, paying party amount"
    pool = Pool()
    Settlement = pool.get('aftersales.repair.settlement')
    settlement, = Settlement.create([{
                'company': company.id, 'start_date': start_date,
                'end_date': end_date, 'date': end_date,
                }])
    if amount:
        settlement.lines = [{
                'party': party.id, 'start_date': start_date,
                'end_date': end_date, 'net_sales': 0, 'rebate_rate': 0,
                'rebate_amount': amount, 'repair_count': 0,
                'compensation_amount': 0}]
        settlement.save()
    return settlement


def create_rerun(company, party, start_date, end_date):
    """Return a settlement of the period paying party 10 and a draft
    settlement of the same period"""
    first = create_settlement(company, party, start_date, end_date, 10)
    return first, create_settlement(company, party, start_date, end_date)


class AftersalesRepairNetworkTestCase(CompanyTestMixin, ModuleTestCase):
    "Test After-Sales Repair Network module"
    module = 'aftersales_repair_network'
    extras = ['aftersales_rma']

    @with_transaction()
    def test_r3_faulty_parts_go_on_office_return(self):
        "R3: a point's faulty parts go on its office's monthly return"
        pool = Pool()
        Product = pool.get('product.product')
        Move = pool.get('stock.move')
        Application = pool.get('aftersales.rma.application')
        today = dt.date.today()
        with new_company() as company:
            point = create_point(company)
            office = point.office
            self.assertEqual(point.state, 'approved')

            # The point took in three faulty ballasts
            ballast = create_product_of("Electronic Ballast", 'goods', 0)
            put_in_stock(ballast, 3, point.faulty_location, company, today)

            application, = Application.create([{
                        'company': company.id, 'sender': office.id,
                        'date': today, 'planned_date': today}])
            Application.add_repair_faulty([application])
            line, = application.lines
            self.assertEqual(
                (line.product, line.quantity, line.repair_point,
                    line.reason.quality),
                (ballast, 3, point, True))
            with Transaction().set_context(stock_date_end=today):
                quantities = Product.products_by_location(
                    [point.faulty_location.id, office.customer_location.id])
            self.assertEqual(
                quantities.get((point.faulty_location.id, ballast.id), 0), 0)
            move, = Move.search([('origin', '=', str(line))])
            self.assertEqual(
                (move.state, move.to_location), ('done',
                    office.customer_location))

            # Nothing is left to add
            Application.add_repair_faulty([application])
            self.assertEqual(len(application.lines), 1)

            # R4: the parts were never delivered to the office, yet they
            # go back without a special approval
            self.assertFalse(line.returns_delivered_goods())
            Application.check_delivered([application])

    @with_transaction()
    def test_n4_deposit_rate_of_point_company(self):
        "N4: a point pays the deposit rate of its company, not the user's"
        Configuration = Pool().get('aftersales.configuration')
        with new_company() as company:
            Configuration.write([Configuration(1)], {
                    'deposit_rate': Decimal('0.5')})
            with new_company() as user_company, \
                    Transaction().set_context(
                        company=user_company.id,
                        companies=[user_company.id, company.id]):
                self.assertEqual(
                    Configuration(1).deposit_rate, Decimal('0.3'))
                point = create_point(company)
        self.assertEqual(point.deposit_rate, Decimal('0.5'))

    @with_transaction()
    def test_r2_promise_later_than_maximum_refused(self):
        "R2: a repair is promised within the configured days at the latest"
        Order = Pool().get('aftersales.repair.order')
        today = dt.date.today()
        with new_company() as company:
            order = create_lamp_order(company, today - dt.timedelta(days=1))
            Order.diagnose([order])

            with self.assertRaisesRegex(RepairDateError, "at the latest"):
                Order.write([order], {
                        'promised_date': today + dt.timedelta(days=3)})
            with self.assertRaises(RepairDateError):
                Order.write([order], {
                        'promised_date': today - dt.timedelta(days=2)})

            Order.write([order], {'promised_date': None})
            Order.promise([order])
            self.assertEqual(
                order.promised_date, today + dt.timedelta(days=2))

    @with_transaction()
    def test_r2_promise_earlier_accepted(self):
        "R2: a repair point may promise a day earlier than the latest"
        Order = Pool().get('aftersales.repair.order')
        today = dt.date.today()
        with new_company() as company:
            order = create_lamp_order(company, today)
            Order.diagnose([order])
            Order.write([order], {
                    'promised_date': today + dt.timedelta(days=1)})
            Order.promise([order])
            self.assertEqual(
                (order.state, order.promised_date),
                ('promised', today + dt.timedelta(days=1)))

    @with_transaction()
    def test_repair_dates_ordered(self):
        "A repair is not received before its purchase nor in the future"
        Order = Pool().get('aftersales.repair.order')
        today = dt.date.today()
        with new_company() as company:
            order = create_lamp_order(company, today)
            with self.assertRaisesRegex(RepairDateError, "purchase date"):
                Order.write([order], {
                        'purchase_date': today + dt.timedelta(days=1)})
            with self.assertRaisesRegex(RepairDateError, "to come"):
                Order.write([order], {
                        'date': today + dt.timedelta(days=1)})

    @with_transaction()
    def test_r2_exchange_creates_moves(self):
        """R2: an exchange takes the faulty unit back to the point and gives
        the customer a new one from its consignment"""
        pool = Pool()
        Order = pool.get('aftersales.repair.order')
        Product = pool.get('product.product')
        today = dt.date.today()
        with new_company() as company:
            order = create_lamp_order(company, today)
            point, lamp = order.point, order.product
            put_in_stock(lamp, 1, point.location, company, today)
            Order.diagnose([order])
            Order.exchange([order])

            self.assertEqual(order.state, 'exchanged')
            customer = order.customer.customer_location
            self.assertEqual(
                sorted((m.from_location, m.to_location, m.quantity, m.state)
                    for m in order.moves),
                sorted([
                        (customer, point.faulty_location, 1, 'done'),
                        (point.location, customer, 1, 'done'),
                        ]))
            with Transaction().set_context(stock_date_end=today):
                quantities = Product.products_by_location(
                    [point.location.id, point.faulty_location.id],
                    with_childs=False, grouping_filter=([lamp.id],))
            self.assertEqual(
                quantities[point.location.id, lamp.id], 0)
            self.assertEqual(
                quantities[point.faulty_location.id, lamp.id], 1)

    @with_transaction()
    def test_r2_exchange_without_new_unit_refused(self):
        "R2: no exchange when the point holds no new unit"
        Order = Pool().get('aftersales.repair.order')
        with new_company() as company:
            order = create_lamp_order(company, dt.date.today())
            Order.diagnose([order])
            with self.assertRaisesRegex(UserError, "new unit"):
                Order.exchange([order])

    @with_transaction()
    def test_r2_refund_creates_credit_note(self):
        "R2: a refund credits the customer on a credit note of the order"
        pool = Pool()
        Order = pool.get('aftersales.repair.order')
        Template = pool.get('product.template')
        with new_company(chart=True) as company:
            order = create_lamp_order(company, dt.date.today())
            lamp = order.product
            Template.write([lamp.template], {
                    'account_category': create_revenue_category().id,
                    'list_price': Decimal('168')})
            Order.diagnose([order])
            Order.refund([order])

            self.assertEqual(order.state, 'refunded')
            credit_note = order.credit_note
            self.assertEqual(
                (credit_note.type, credit_note.party, credit_note.state,
                    credit_note.total_amount),
                ('out', order.customer, 'draft', Decimal('-168')))
            line, = credit_note.lines
            self.assertEqual((line.product, line.origin), (lamp, order))

    @with_transaction()
    def test_w1_repair_line_user_damage_paid_repair(self):
        "W1: a component damaged by the user is not covered: a paid repair"
        pool = Pool()
        Order = pool.get('aftersales.repair.order')
        Configuration = pool.get('aftersales.configuration')
        today = dt.date.today()
        with new_company(chart=True) as company:
            point = create_point(company)
            policy = create_ceiling_policy()
            lamp = create_product(policy)
            revenue = create_revenue_category()
            ballast = create_product_of(
                "Ballast", 'goods', Decimal('20'), revenue)
            Configuration.write([Configuration(1)], {
                    'repair_fee_product': create_product_of(
                        "Repair Fee", 'service', 0, revenue).id})
            damaged = create_order(
                point, lamp, today, cause_code='user_damage', part=ballast)
            faulty = create_order(point, lamp, today, part=ballast)
            Order.diagnose([damaged, faulty])

            line, = damaged.lines
            self.assertEqual(line.cause.code, 'user_damage')
            self.assertFalse(line.covered)
            self.assertEqual(line.warranty_answer, 'cause')
            self.assertIn(line.cause.name, line.warranty)
            self.assertFalse(damaged.free)
            self.assertTrue(damaged.quote)
            line, = faulty.lines
            self.assertEqual(line.cause.code, 'quality')
            self.assertEqual(
                (line.covered, line.warranty_answer), (True, 'covered'))
            self.assertTrue(faulty.free)
            self.assertFalse(faulty.quote)

    @with_transaction()
    def test_repair_line_warranty_in_reader_language(self):
        "The warranty answer of a line is read in the reader's language"
        pool = Pool()
        Order = pool.get('aftersales.repair.order')
        Line = pool.get('aftersales.repair.order.line')
        with new_company() as company:
            order = create_lamp_order(company, dt.date.today())
            Order.diagnose([order])

            zh_cn = load_translations('zh_CN', 'aftersales_repair_network')
            line, = order.lines
            self.assertTrue(line.warranty.startswith("Covered until"))
            with Transaction().set_context(language='zh_CN'):
                line = Line(line.id)
                self.assertNotIn("Covered", line.warranty)
                self.assertIn(zh_cn.strftime(line.covered_until),
                    line.warranty)

    @with_transaction()
    def test_location_names_in_reader_language(self):
        "A point's locations are named in each language the database speaks"
        Location = Pool().get('stock.location')
        load_translations('zh_CN', 'aftersales_repair_network')
        with new_company() as company:
            point = create_point(company)
            location = point.location
            self.assertEqual(
                location.name, f"Consigned parts of {point.rec_name}")
            with Transaction().set_context(language='zh_CN'):
                location = Location(location.id)
                self.assertIn(point.rec_name, location.name)
                self.assertNotIn("Consigned", location.name)

    @with_transaction()
    def test_visit_in_future_not_done(self):
        "N5: a visit planned for a day to come cannot be recorded as done"
        Visit = Pool().get('aftersales.repair.visit')
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        with new_company() as company:
            point = create_point(company)
            visit, = Visit.create([{
                        'company': company.id, 'point': point.id,
                        'date': tomorrow, 'topics': ['parts'],
                        'findings': "Parts stored well"}])
            with self.assertRaisesRegex(UserError, "planned for"):
                Visit.do([visit])
            self.assertEqual(visit.state, 'planned')

    @with_transaction()
    def test_settle_twice_explains(self):
        "N3: settling a party already settled says by what and since when"
        Settlement = Pool().get('aftersales.repair.settlement')
        start, end = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
        with new_company() as company:
            store, = create_rebated_offices(company, ["Tianhe Store"], start)
            first, rerun = create_rerun(company, store, start, end)
            Settlement.compute([rerun])
            self.assertEqual(rerun.lines, ())

            with self.assertRaises(SettlementError) as cm:
                Settlement.settle([rerun])
            message = cm.exception.message
            for text in ["Tianhe Store", first.number,
                    start.strftime('%m/%d/%Y'), end.strftime('%m/%d/%Y')]:
                self.assertIn(text, message)

            month = create_settlement(
                company, store, start, dt.date(2025, 1, 31), 10)
            with self.assertRaises(SettlementError) as cm:
                Settlement.settle([month])
            self.assertIn(first.number, cm.exception.message)
            self.assertEqual(month.state, 'draft')

    @with_transaction()
    def test_compute_reports_skipped_parties(self):
        "N3: compute lists the parties it left out and what settles them"
        Settlement = Pool().get('aftersales.repair.settlement')
        start, end = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
        with new_company() as company:
            settled, open_ = create_rebated_offices(
                company, ["Tianhe Store", "Huaqiang Store"], start)
            first, rerun = create_rerun(company, settled, start, end)
            Settlement.compute([rerun])

            skipped, = rerun.skipped
            self.assertEqual(
                (skipped.party, skipped.other_settlement, skipped.start_date,
                    skipped.end_date),
                (settled, first, start, end))

            Settlement.cancel([first])
            Settlement.compute([rerun])
            self.assertEqual(rerun.skipped, ())

    @with_transaction()
    def test_settle_open_period_refused_or_confirmed(self):
        """N3: settling a period that has not ended asks for a confirmation,
        recorded with who settled and when"""
        pool = Pool()
        Party = pool.get('party.party')
        Settlement = pool.get('aftersales.repair.settlement')
        today = dt.date.today()
        with new_company(chart=True) as company:
            set_rebate_product()
            store, = Party.create([{
                        'name': "Tianhe Store",
                        'aftersales_role': 'branch_office',
                        'addresses': [('create', [{}])]}])
            settlement = create_settlement(
                company, store, today - dt.timedelta(days=20),
                today + dt.timedelta(days=10), Decimal(10))

            with self.assertRaises(UserWarning):
                Settlement.settle([settlement])
            self.assertEqual(settlement.state, 'draft')

            with Transaction().set_context(_skip_warnings=True):
                Settlement.settle([settlement])
            self.assertEqual(
                (settlement.state, settlement.settled_early,
                    settlement.settled_by.id, bool(settlement.settled_at)),
                ('done', True, Transaction().user, True))
            line, = settlement.lines
            self.assertEqual(line.invoice.total_amount, Decimal('-10'))

    @with_transaction()
    def test_n3_settle_queries_same_for_any_party_count(self):
        "N3: settling 6 parties costs the queries of settling 2"
        pool = Pool()
        Party = pool.get('party.party')
        Settlement = pool.get('aftersales.repair.settlement')
        transaction = Transaction()
        start = dt.date(2025, 1, 1)
        with new_company(chart=True) as company:
            set_rebate_product()

            def settle_counting(count, month):
                end = dt.date(2025, month, 28)
                parties = Party.create([{
                            'name': f"Store {month}-{i}",
                            'addresses': [('create', [{}])]}
                        for i in range(count)])
                settlement = create_settlement(company, None, start, end)
                settlement.lines = [{
                        'party': p.id, 'start_date': start, 'end_date': end,
                        'net_sales': 0, 'rebate_rate': 0,
                        'rebate_amount': Decimal(10 + i), 'repair_count': 0,
                        'compensation_amount': 0}
                    for i, p in enumerate(parties)]
                settlement.save()
                for cache in transaction.cache.values():
                    cache.clear()
                with count_queries() as counter, \
                        transaction.set_context(_skip_warnings=True):
                    Settlement.settle(Settlement.browse([settlement.id]))
                self.assertEqual(
                    sorted(l.invoice.total_amount for l in settlement.lines),
                    [-Decimal(10 + i) for i in reversed(range(count))])
                return counter.count

            settle_counting(1, 1)  # warms the caches
            queries_2 = settle_counting(2, 2)
            queries_6 = settle_counting(6, 3)
        # SQLite, with no sequence to reserve ids from, inserts each credit
        # note and each of its lines by a statement of its own
        per_party = 2 if backend.name == 'sqlite' else 0
        self.assertEqual(queries_6 - (6 - 2) * per_party, queries_2)


del ModuleTestCase
