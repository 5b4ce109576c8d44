import datetime as dt
import threading
import unittest
from contextlib import contextmanager
from decimal import Decimal

from trytond import backend
from trytond.modules.aftersales_rma.exceptions import (
    ApplicationError, ArrivalError, DispositionError, ScheduleError)
from trytond.modules.aftersales_warranty.exceptions import DateOrderError
from trytond.modules.aftersales_rma.schedule import (
    next_month, week_of, week_window)
from trytond.modules.aftersales_warranty.tests.tools import (
    OverdueTestMixin, acting_as, count_queries, create_user, new_company,
    on)
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.currency.tests import add_currency_rate, create_currency
from trytond.model.exceptions import AccessError, DomainValidationError
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, ModuleTestCase, with_transaction
from trytond.transaction import Transaction, TransactionError


def create_products(company, count=2):
    "Return goods products whose category has revenue and expense accounts"
    pool = Pool()
    Account = pool.get('account.account')
    Category = pool.get('product.category')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    ModelData = pool.get('ir.model.data')
    revenue, = Account.search([
            ('type.revenue', '=', True), ('closed', '!=', True),
            ('company', '=', company.id)], limit=1)
    expense, = Account.search([
            ('type.expense', '=', True), ('closed', '!=', True),
            ('company', '=', company.id)], limit=1)
    category = Category(
        name="Lamps", accounting=True,
        account_revenue=revenue, account_expense=expense)
    category.save()
    unit = Uom(ModelData.get_id('product', 'uom_unit'))
    templates = [Template(
            name="Lamp %s" % i, type='goods', default_uom=unit,
            list_price=Decimal('10'), account_category=category,
            products=[{}])
        for i in range(count)]
    Template.save(templates)
    return [t.products[0] for t in templates]


def create_counted_application(company, products, count, name="Office"):
    """Return an application counted at arrival with count lines and its
    return shipment

    Each line is to be exchanged, credited and rejected one unit each.
    """
    pool = Pool()
    Address = pool.get('party.address')
    Application = pool.get('aftersales.rma.application')
    Line = pool.get('aftersales.rma.application.line')
    ModelData = pool.get('ir.model.data')
    Party = pool.get('party.party')
    Reason = pool.get('aftersales.rma.reason')
    today = dt.date.today()
    sender = Party(
        name=name, aftersales_role='branch_office', addresses=[Address()])
    sender.save()
    reason = Reason(ModelData.get_id('aftersales_rma', 'reason_quality'))
    application = Application(
        company=company, sender=sender, sender_address=sender.addresses[0],
        date=today, planned_date=today, arrival_date=today,
        form_number='RRF-TEST', state='counted')
    application.lines = [Line(
            product=product, quantity=3, unit=product.default_uom,
            reason=reason, received_quantity=3,
            exchange_quantity=1, credit_quantity=1, unit_price=Decimal('8'),
            reject_quantity=1, reject_reason="Broken by the user")
        for product in (products * count)[:count]]
    application.save()
    Application.create_return_shipments([application])
    return application


@contextmanager
def counted_application():
    "Work in a new company, yielding a counted application of one line"
    with new_company(chart=True) as company:
        products = create_products(company, count=1)
        yield create_counted_application(company, products, 1)


def create_sender(name, role='branch_office', upstream=None, week=1):
    "Return a sender whose address is in a region of the given week"
    pool = Pool()
    Address = pool.get('party.address')
    Country = pool.get('country.country')
    Party = pool.get('party.party')
    RegionWeek = pool.get('aftersales.rma.region.week')
    Subdivision = pool.get('country.subdivision')
    country = Country(name="China %s" % name)
    country.save()
    region = Subdivision(
        country=country, name="Region %s" % name, type='province')
    region.save()
    RegionWeek(subdivision=region, week=week).save()
    sender = Party(
        name=name, aftersales_role=role, upstream=upstream,
        addresses=[Address(country=country, subdivision=region)])
    sender.save()
    return sender


def deliver(company, customer, product, quantity, lot=None):
    "Deliver quantity of product to customer through a done shipment"
    pool = Pool()
    Location = pool.get('stock.location')
    Move = pool.get('stock.move')
    Shipment = pool.get('stock.shipment.out')
    warehouse, = Location.search([('code', '=', 'WH')])
    shipment = Shipment(
        company=company, customer=customer,
        delivery_address=customer.addresses[0], warehouse=warehouse,
        warehouse_storage=warehouse.storage_location,
        warehouse_output=warehouse.output_location)
    shipment.outgoing_moves = [Move(
            product=product, lot=lot, quantity=quantity,
            unit=product.default_uom, company=company,
            from_location=warehouse.output_location,
            to_location=customer.customer_location,
            unit_price=Decimal('10'), currency=company.currency)]
    shipment.save()
    with Transaction().set_context(_skip_warnings=True):
        Move.do(shipment.outgoing_moves)
    return shipment


def create_office_lamp(company, delivered=0):
    "Return a lamp and a branch office to which delivered of it were delivered"
    lamp, = create_products(company, count=1)
    office = create_sender("Office")
    if delivered:
        deliver(company, office, lamp, delivered)
    return lamp, office


def create_signed_application(
        company, sender, lines, planned_date=None, reason='reason_quality'):
    """Return a signed application of sender with lines

    lines are (product, quantity, lot) triples; the dispatch is planned
    inside week 1 of planned_date's month (this month by default).
    """
    pool = Pool()
    Application = pool.get('aftersales.rma.application')
    Line = pool.get('aftersales.rma.application.line')
    ModelData = pool.get('ir.model.data')
    Reason = pool.get('aftersales.rma.reason')
    planned_date = (planned_date or dt.date.today()).replace(day=3)
    reason = Reason(ModelData.get_id('aftersales_rma', reason))
    application = Application(
        company=company, sender=sender, sender_address=sender.addresses[0],
        region=sender.addresses[0].subdivision,
        date=planned_date, planned_date=planned_date,
        assessment="Faulty ballasts.")
    application.lines = [Line(
            product=product, lot=lot, quantity=quantity,
            unit=product.default_uom, reason=reason)
        for product, quantity, lot in lines]
    application.save()
    Application.sign([application])
    return application


class AftersalesRmaTestCase(
        CompanyTestMixin, OverdueTestMixin, ModuleTestCase):
    "Test After-Sales Returns module"
    module = 'aftersales_rma'

    def test_r6_week_of_month(self):
        "R6: week k is days 7k-6 to 7k, days 22 and later in no week"
        self.assertEqual(
            week_window(2025, 2, 1, 7),
            (dt.date(2025, 2, 1), dt.date(2025, 2, 7)))
        self.assertEqual(
            week_window(2025, 2, 3, 7),
            (dt.date(2025, 2, 15), dt.date(2025, 2, 21)))
        self.assertEqual(week_of(dt.date(2025, 3, 7), 7, 3), 1)
        self.assertEqual(week_of(dt.date(2025, 3, 8), 7, 3), 2)
        self.assertEqual(week_of(dt.date(2025, 3, 21), 7, 3), 3)
        self.assertIsNone(week_of(dt.date(2025, 3, 22), 7, 3))
        self.assertIsNone(week_of(dt.date(2025, 3, 31), 7, 3))
        # The span and the number of weeks are configuration
        self.assertEqual(week_of(dt.date(2025, 3, 22), 5, 5), 5)
        self.assertEqual(
            next_month(dt.date(2025, 12, 31)), dt.date(2026, 1, 1))

    @with_transaction()
    def test_r11_city_week_before_province(self):
        "R11: a city's week applies before its province's; none is none"
        pool = Pool()
        Country = pool.get('country.country')
        Subdivision = pool.get('country.subdivision')
        RegionWeek = pool.get('aftersales.rma.region.week')
        china = Country(name="China", code='CN')
        china.save()
        fujian, jiangsu, jilin = Subdivision.create([
                {'country': china.id, 'code': 'CN-FJ', 'name': "Fujian",
                    'type': 'province'},
                {'country': china.id, 'code': 'CN-JS', 'name': "Jiangsu",
                    'type': 'province'},
                {'country': china.id, 'code': 'CN-JL', 'name': "Jilin",
                    'type': 'province'}])
        xiamen, putian, suzhou = Subdivision.create([
                {'country': china.id, 'name': "Xiamen", 'type': 'city',
                    'parent': fujian.id},
                {'country': china.id, 'name': "Putian", 'type': 'city',
                    'parent': fujian.id},
                {'country': china.id, 'name': "Suzhou", 'type': 'city',
                    'parent': jiangsu.id}])
        RegionWeek.create([
                {'subdivision': xiamen.id, 'week': 2},
                {'subdivision': jiangsu.id, 'week': 2}])
        weeks = RegionWeek.weeks_of([xiamen, putian, suzhou, jilin, fujian])
        self.assertEqual(weeks, {
                xiamen.id: 2, putian.id: None, suzhou.id: 2, jilin.id: None,
                fujian.id: None})

    @with_transaction()
    def test_r4_return_more_than_delivered_refused(self):
        "R4: 250 of a lot of which 200 were delivered are refused at submit"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Lot = pool.get('stock.lot')
        with new_company(chart=True) as company:
            lamp, = create_products(company, count=1)
            lot = Lot(number='L1', product=lamp)
            lot.save()
            office = create_sender("Office")
            store = create_sender(
                "Store", role='franchise_store', upstream=office)
            deliver(company, office, lamp, 120, lot=lot)
            deliver(company, store, lamp, 80, lot=lot)
            deliver(company, office, lamp, 100)

            application = create_signed_application(
                company, office, [(lamp, 200, lot), (lamp, 50, lot)])
            with self.assertRaisesRegex(ApplicationError,
                    r'250.0 of "L1.*200.0 were delivered.*0 of them'):
                Application.submit([application])

            application = create_signed_application(
                company, office, [(lamp, 200, lot), (lamp, 50, None)])
            Application.submit([application])
            self.assertEqual(application.state, 'submitted')

    @with_transaction()
    def test_r4_already_returned_counted(self):
        "R4: what earlier applications brought back is no more returnable"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Line = pool.get('aftersales.rma.application.line')
        with new_company(chart=True) as company:
            lamp, office = create_office_lamp(company, delivered=100)
            last_month = dt.date.today().replace(day=1) - dt.timedelta(1)
            earlier = create_signed_application(
                company, office, [(lamp, 70, None)], planned_date=last_month)
            Application.submit([earlier])

            application = create_signed_application(
                company, office, [(lamp, 40, None)])
            with self.assertRaisesRegex(ApplicationError,
                    r'40.0 of .*100.0 were delivered.*70.0 of them'):
                Application.submit([application])

            # A cancelled application brings nothing back
            Application.cancel([earlier])
            Application.submit([application])

            # Approval checks again: a line changed since its submission
            line, = application.lines
            Line.write([line], {'quantity': 101})
            with self.assertRaisesRegex(ApplicationError,
                    r'101.0 of .*100.0 were delivered.*0 of them'):
                Application.approve([application])

    @with_transaction()
    def test_r4_untraceable_needs_special_approval(self):
        "R4, R7: goods with no traceable delivery need a special approval"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        User = pool.get('res.user')
        with new_company(chart=True) as company:
            lamp, office = create_office_lamp(company)
            application = create_signed_application(
                company, office, [(lamp, 5, None)])
            with self.assertRaisesRegex(ApplicationError,
                    r'no delivery .* special approval'):
                Application.submit([application])

            application.special_request = "Bought before the system."
            application.special_reason = "Known dealer, checked by phone."
            application.save()
            Application.approve_special([application])
            Application.submit([application])
            Application.approve([application])
            self.assertEqual(application.state, 'approved')
            self.assertEqual(
                application.special_approved_by,
                User(Transaction().user))
            self.assertTrue(application.special_approved_at)

    @with_transaction()
    def test_r5_unapproved_arrival_refused_and_recorded(self):
        "R5: goods of an unapproved return are refused and it is recorded"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        with new_company(chart=True) as company:
            lamp, office = create_office_lamp(company, delivered=10)
            manager = create_user(
                'manager', 'group_office_manager', company,
                aftersales_party=office)
            logistics = create_user('logistics', 'group_logistics', company)
            application = create_signed_application(
                company, office, [(lamp, 5, None)])
            Application.submit([application])

        with acting_as(logistics, company):
            incoming, = Application.search([])
            self.assertEqual(incoming.state, 'submitted')
            with self.assertRaisesRegex(ArrivalError,
                    r'not been approved by customer service '
                    r'\(it is Submitted\)'):
                Application.arrive([incoming])
            Application.refuse_arrival([incoming])

        with acting_as(manager, company):
            refusal, = Application(application.id).arrival_refusals
            self.assertEqual(refusal.refused_by, logistics)
            self.assertTrue(refusal.refused_at)
            self.assertEqual(refusal.application_state, 'submitted')
            self.assertEqual(
                refusal.reason_string, "Not approved by customer service")
        self.assertEqual(Application(application.id).state, 'submitted')

    @with_transaction()
    def test_w1_user_damage_line_not_covered(self):
        "W1: a returned line damaged by the user is answered not covered"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Line = pool.get('aftersales.rma.application.line')
        ModelData = pool.get('ir.model.data')
        Policy = pool.get('aftersales.warranty.policy')
        with new_company(chart=True) as company:
            lamp, office = create_office_lamp(company, delivered=10)
            policy = Policy(
                name="Lamps", consumer_months=12,
                repair_fee_rate=Decimal('0.1'))
            policy.save()
            category = lamp.template.account_category
            category.warranty_policy = policy
            category.save()
            lamp.template.categories = [category]
            lamp.template.save()
            application = create_signed_application(
                company, office, [(lamp, 2, None), (lamp, 3, None)])
            quality, damaged = application.lines
            self.assertEqual(quality.cause.id, ModelData.get_id(
                    'aftersales_warranty', 'cause_quality'))
            Line.write([quality, damaged], {
                    'delivery_date': dt.date.today() - dt.timedelta(30)})
            Line.write([damaged], {'cause': ModelData.get_id(
                        'aftersales_warranty', 'cause_user_damage')})
            Application.submit([application])
            quality, damaged = application.lines
            self.assertTrue(quality.warranty_covered)
            self.assertFalse(damaged.warranty_covered)
            self.assertIn(damaged.cause.rec_name, damaged.warranty_answer)

    @with_transaction()
    def test_lot_tracked_return_draft_to_receipt(self):
        "R4-R9: a lot-tracked lamp's return, from draft to receipt, by role"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Line = pool.get('aftersales.rma.application.line')
        Lot = pool.get('stock.lot')
        ModelData = pool.get('ir.model.data')
        Product = pool.get('product.product')
        Reason = pool.get('aftersales.rma.reason')
        Template = pool.get('product.template')
        with new_company(chart=True) as company:
            lamp, = create_products(company, count=1)
            Template.write([lamp.template], {'lot_required': ['storage']})
            lot = Lot(number='L7', product=lamp)
            lot.save()
            office = create_sender("Office")
            deliver(company, office, lamp, 10, lot=lot)
            manager = create_user(
                'manager', 'group_office_manager', company,
                aftersales_party=office)
            service = create_user('service', 'group_customer_service',
                company)
            logistics = create_user('logistics', 'group_logistics', company)
        reason_id = ModelData.get_id('aftersales_rma', 'reason_quality')
        planned_date = dt.date.today().replace(day=3)

        with acting_as(manager, company):
            application = Application(
                sender_address=office.addresses[0].id,
                region=office.addresses[0].subdivision.id,
                date=planned_date, planned_date=planned_date,
                assessment="Lamps flicker.")
            application.lines = [Line(
                    product=Product(lamp.id), quantity=4,
                    unit=lamp.default_uom.id, reason=Reason(reason_id))]
            application.save()
            self.assertEqual(application.state, 'draft')
            line, = application.lines
            self.assertTrue(line.lot_required)
            with self.assertRaisesRegex(ApplicationError,
                    r'tracked by lot, so enter the lot'):
                Application.sign([application])
            Line.write([line], {'lot': lot.id})
            Application.sign([application])
            Application.submit([application])
            self.assertEqual(application.state, 'submitted')

        with acting_as(service, company):
            Application.approve([Application(application.id)])

        with acting_as(logistics, company):
            application = Application(application.id)
            Application.write([application], {
                    'received_form_number': application.form_number,
                    'arrival_date': planned_date,
                    })
            Application.arrive([application])
            line, = application.lines
            Line.write([line], {
                    'received_quantity': 3, 'condition': 'intact'})
            Application.count([application])
            application = Application(application.id)
            self.assertEqual(application.state, 'counted')
            self.assertEqual(application.return_shipment.state, 'done')
            self.assertEqual(
                {(m.lot, m.quantity, m.state)
                    for m in application.return_shipment.moves},
                {(lot, 3, 'done')})

        with acting_as(service, company):
            line, = Application(application.id).lines
            Line.write([line], {
                    'reject_quantity': 3, 'reject_reason': "Broken glass"})
            Application.dispose([Application(application.id)])
            self.assertEqual(Application(application.id).state, 'done')

    @with_transaction()
    def test_r6_dispatch_date_checked_on_entry(self):
        "R6: a planned dispatch outside the region's week is refused on save"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        with new_company(chart=True) as company:
            lamp, = create_products(company, count=1)
            office = create_sender("Office", week=2)
            application = Application(
                company=company, sender=office,
                sender_address=office.addresses[0],
                region=office.addresses[0].subdivision,
                date=dt.date(2025, 3, 1), planned_date=dt.date(2025, 3, 1))
            self.assertIn('warning', [
                    t for t, _ in application.on_change_notify()])
            with self.assertRaisesRegex(ScheduleError,
                    r'outside week 2 .* starts on 2025-04-08'):
                application.save()

            application.planned_date = dt.date(2025, 3, 8)
            self.assertEqual(application.on_change_notify(), [])
            application.save()
            with self.assertRaises(ScheduleError):
                Application.write(
                    [application], {'planned_date': dt.date(2025, 3, 15)})
            # The office asks for a special approval: the date is kept
            Application.write([application], {
                    'planned_date': dt.date(2025, 3, 15),
                    'special_request': "Batch problem.",
                    })

    @with_transaction()
    def test_r6_dispatch_date_default_next_week(self):
        "R6: the planned dispatch defaults to the next allowed day"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        with new_company() as company:
            office = create_sender("Office", week=2)
            manager = create_user(
                'manager', 'group_office_manager', company,
                aftersales_party=office)
            region = office.addresses[0].subdivision
            for today, expected in [
                    (dt.date(2025, 3, 2), dt.date(2025, 3, 8)),
                    (dt.date(2025, 3, 10), dt.date(2025, 3, 10)),
                    (dt.date(2025, 3, 15), dt.date(2025, 4, 8)),
                    (dt.date(2025, 12, 20), dt.date(2026, 1, 8)),
                    ]:
                with on(today):
                    with Transaction().set_user(manager.id):
                        self.assertEqual(
                            Application.default_planned_date(), expected)
                    application = Application(date=today)
                    application.region = region
                    application.on_change_region()
                    self.assertEqual(application.planned_date, expected)

    @with_transaction()
    def test_application_dates_in_order(self):
        "R5, R8: arrival after dispatch, count after arrival"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Line = pool.get('aftersales.rma.application.line')
        with counted_application() as application:
            today = application.arrival_date
            for values, message in [
                    ({'counted_date': today - dt.timedelta(1)},
                        r'the Counted On \(.*\) cannot be before the '
                        r'Arrival Date'),
                    ({'shipped_date': today + dt.timedelta(1)},
                        r'the Arrival Date .* cannot be before the '
                        r'Dispatch Date'),
                    ({'planned_date': today - dt.timedelta(1)},
                        r'the Planned Dispatch .* cannot be before the '
                        r'Application Date'),
                    ]:
                with self.assertRaisesRegex(DateOrderError, message):
                    Application.write([application], values)
            Application.write([application], {
                    'shipped_date': today, 'counted_date': today})

            line, = application.lines
            with self.assertRaisesRegex(DateOrderError,
                    r'cannot have been delivered on .*, after the '
                    r'application date'):
                Line.write([line], {
                        'delivery_date': today + dt.timedelta(1)})

    @with_transaction()
    def test_r12_freight_held_by_return_shipment(self):
        "R12: the carrier, dispatch date and freight are the shipment's"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Party = pool.get('party.party')
        Shipment = pool.get('stock.shipment.out.return')
        with counted_application() as application:
            shipment = application.return_shipment
            carrier = Party(name="Express Freight")
            carrier.save()
            today = application.arrival_date
            Application.write([application], {
                    'carrier': carrier.id, 'shipped_date': today,
                    'freight_cost': Decimal('120'),
                    })
            shipment = Shipment(shipment.id)
            self.assertEqual(
                (shipment.return_carrier, shipment.shipped_date,
                    shipment.freight_cost),
                (carrier, today, Decimal('120')))

            Shipment.write([shipment], {'freight_cost': Decimal('80')})
            application = Application(application.id)
            self.assertEqual(application.freight_cost, Decimal('80'))
            self.assertEqual(application.carrier, carrier)
            self.assertEqual(Application.search([
                        ('carrier', '=', carrier.id),
                        ('shipped_date', '=', today),
                        ('freight_cost', '>', 50),
                        ]), [application])
            with self.assertRaises(DomainValidationError):
                Application.write(
                    [application], {'freight_cost': Decimal('-1')})

            draft, = Application.copy([application])
            self.assertEqual(
                (draft.carrier, draft.shipped_date, draft.freight_cost),
                (None, None, None))
            with self.assertRaisesRegex(ApplicationError,
                    r'has no return shipment yet to hold its Carrier'):
                Application.write([draft], {'carrier': carrier.id})

    @with_transaction()
    def test_r12_freight_read_in_one_query_a_batch(self):
        "R12: reading the shipments' transport data costs the same for any N"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        with new_company(chart=True) as company:
            products = create_products(company, count=1)
            ids = [create_counted_application(
                    company, products, 1, name="Office %s" % i).id
                for i in range(6)]
            counts = []
            for size in [3, 6]:
                applications = Application.browse(ids[:size])
                with count_queries() as counter:
                    [(a.carrier, a.shipped_date, a.freight_cost)
                        for a in applications]
                counts.append(counter.count)
            self.assertEqual(counts[0], counts[1])

    @with_transaction()
    def test_r4_return_shipment_in_application_company(self):
        "R4: the return shipment goes to its company's return warehouse"
        pool = Pool()
        Location = pool.get('stock.location')
        ReturnLocation = pool.get('aftersales.configuration.return_location')
        with new_company(chart=True) as company:
            products = create_products(company, count=1)
            warehouse, = Location.search([('code', '=', 'WH')])
            storage, input_, output = Location.create([
                    {'name': name, 'type': 'storage'}
                    for name in ["Storage 2", "Input 2", "Output 2"]])
            other_warehouse = Location(
                name="Other Warehouse", code='WH2', type='warehouse',
                storage_location=storage, input_location=input_,
                output_location=output)
            other_warehouse.save()
            with new_company() as other:
                ReturnLocation(
                    company=other, return_warehouse=other_warehouse,
                    return_location=other_warehouse.storage_location).save()
            # The user works in the first company
            application = create_counted_application(other, products, 1)
            shipment = application.return_shipment
            self.assertEqual(shipment.company, other)
            self.assertEqual(shipment.warehouse, other_warehouse)
            self.assertEqual(
                shipment.warehouse_storage, other_warehouse.storage_location)
            self.assertEqual(
                application._get_replacement_shipment().warehouse,
                other_warehouse)
            mine = create_counted_application(
                company, products, 1, name="Mine")
            self.assertEqual(mine.return_shipment.warehouse, warehouse)

    @with_transaction()
    def test_w5_dispute_inspected_before_raised_refused(self):
        "W5: a dispute cannot be inspected before it was raised"
        today = dt.date.today()
        with new_company(chart=True) as company:
            dispute = self.create_dispute(company, today)
            dispute.inspection_date = today - dt.timedelta(1)
            with self.assertRaisesRegex(DateOrderError,
                    r'cannot be inspected on .*, before it was raised'):
                dispute.save()

    def create_dispute(self, company, raised_date):
        "Return an open dispute raised on raised_date"
        pool = Pool()
        Dispute = pool.get('aftersales.rma.dispute')
        Lot = pool.get('stock.lot')
        lamp, = create_products(company, count=1)
        lot = Lot(number='B1', product=lamp)
        lot.save()
        dispute = Dispute(
            company=company, dealer=create_sender("Dealer"),
            raised_date=raised_date, product=lamp, lot=lot, quantity=10,
            unit=lamp.default_uom)
        dispute.save()
        Dispute.open([dispute])
        return dispute

    @with_transaction()
    def test_w5_dispute_inspected_on_time_not_overdue(self):
        "W5: a dispute inspected on time is not overdue while open"
        pool = Pool()
        Employee = pool.get('company.employee')
        Party = pool.get('party.party')
        today = dt.date.today()
        with new_company(chart=True) as company:
            dispute = self.create_dispute(
                company, today - dt.timedelta(days=3))
            self.assertEqual(
                dispute.inspection_due, today - dt.timedelta(days=1))
            self.assertEqual(dispute.resolution_due, today)
            self.assertTrue(dispute.overdue)

            technician = Employee(
                party=Party(name="Technician"), company=company)
            technician.party.save()
            technician.save()
            dispute.technician = technician
            dispute.inspection_date = today - dt.timedelta(days=2)
            dispute.save()
            self.assert_overdue(on_time=[dispute])

    @with_transaction()
    def test_w5_dispute_resolution_overdue(self):
        "W5: an inspected dispute not resolved by its due date is overdue"
        pool = Pool()
        Dispute = pool.get('aftersales.rma.dispute')
        today = dt.date.today()
        with new_company(chart=True) as company:
            dispute = self.create_dispute(
                company, today - dt.timedelta(days=4))
            dispute.inspection_date = today - dt.timedelta(days=2)
            dispute.save()
            self.assertEqual(
                dispute.resolution_due, today - dt.timedelta(days=1))
            self.assert_overdue(overdue=[dispute])

            Dispute.cancel([dispute])
            self.assert_overdue(on_time=[dispute])

    @with_transaction()
    def test_dispose_twice_explains(self):
        "R9: disposing a disposed line says by whom and when it was"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Line = pool.get('aftersales.rma.application.line')
        with new_company(chart=True) as company:
            products = create_products(company, count=2)
            application = create_counted_application(
                company, products, 2)
            first, second = application.lines
            with Transaction().set_context(_check_access=True):
                Line.dispose([Line(first.id)])
                with self.assertRaisesRegex(DispositionError,
                        r'cannot be disposed again: Administrator '
                        r'disposed it on'):
                    Line.dispose([Line(first.id)])
                Application.dispose([Application(application.id)])
                self.assertEqual(Application(application.id).state, 'done')
                with self.assertRaisesRegex(DispositionError,
                        r'cannot be disposed again'):
                    Line.dispose([Line(second.id)])

    @with_transaction()
    def test_counted_application_not_deleted(self):
        "A counted return application cannot be deleted, a draft one can"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        with counted_application() as application:
            with self.assertRaisesRegex(AccessError, 'cannot delete'):
                Application.delete([application])
            draft, = Application.copy([application])
            Application.delete([draft])

    @with_transaction()
    def test_r9_dispose_queries_do_not_grow(self):
        "R9: disposing N lines issues the same number of queries for any N"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        with new_company(chart=True) as company:
            products = create_products(company)
            counts = {}
            for count in [1, 5, 50]:
                application = create_counted_application(
                    company, products, count, name="Office %s" % count)
                with count_queries() as counter:
                    Application.dispose([application])
                counts[count] = counter.count
                application = Application(application.id)
                self.assertEqual(application.state, 'done')
                credit_note, = application.credit_notes
                self.assertEqual(len(credit_note.lines), count)
                shipment, = application.replacement_shipments
                self.assertEqual(len(shipment.outgoing_moves), count)
        if backend.name == 'sqlite':
            # Without a sequence to reserve ids from, Tryton's ORM inserts
            # one row per statement on SQLite: one per credit note line and
            # one per replacement move. PostgreSQL inserts them in one.
            counts = {n: c - 2 * n for n, c in counts.items()}
        # The first run warms the caches
        self.assertEqual(counts[5], counts[50], counts)

    @unittest.skipIf(backend.name == 'sqlite',
        "SQLite locks the whole database file, not rows: two connections "
        "cannot dispose at the same moment there")
    @with_transaction()
    def test_r9_concurrent_dispose_credits_once(self):
        "R9: two users disposing the same line at once: one succeeds"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Line = pool.get('aftersales.rma.application.line')
        InvoiceLine = pool.get('account.invoice.line')
        transaction = Transaction()
        currency = create_currency('cnc')
        add_currency_rate(currency, 1)
        with new_company(chart=True, name="Concurrent Lamps",
                currency=currency) as company:
            products = create_products(company, count=1)
            application = create_counted_application(
                company, products, 1, name="Concurrent Office")
        line_ids = [l.id for l in application.lines]
        transaction.commit()

        barrier = threading.Barrier(2)
        results = []

        def dispose():
            extras, synchronised = {}, False
            while True:
                try:
                    with Transaction().start(
                            DB_NAME, 1, context={'company': company.id},
                            **extras) as worker:
                        if not synchronised:
                            barrier.wait(timeout=30)
                            synchronised = True
                        try:
                            Line.dispose(Line.browse(line_ids))
                        except TransactionError as error:
                            worker.rollback()
                            error.fix(extras)
                            continue
                        worker.commit()
                        results.append('disposed')
                except (DispositionError,
                        backend.DatabaseOperationalError) as error:
                    results.append(error)
                break

        threads = [threading.Thread(target=dispose) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        self.assertEqual(results.count('disposed'), 1, results)
        self.assertEqual(len(results), 2, results)
        with Transaction().new_transaction() as check:
            with check.set_context(company=company.id):
                credit_lines = InvoiceLine.search([
                        ('origin', 'in', [
                                'aftersales.rma.application.line,%s' % i
                                for i in line_ids]),
                        ])
                self.assertEqual(len(credit_lines), 1)
                self.assertEqual(
                    Application(application.id).state, 'done')


del ModuleTestCase
