"The analysis reported to management (C10)"
import datetime as dt

from trytond.modules.aftersales_repair_network.tests.test_module import (
    create_point)
from trytond.modules.aftersales_rma.tests.test_module import (
    create_products, create_sender, create_signed_application, deliver)
from trytond.modules.aftersales_service.tests.test_complaint import (
    create_complaint)
from trytond.modules.aftersales_warranty.tests.test_module import cause
from trytond.modules.aftersales_warranty.tests.tools import (
    ActivatedTestCase, count_queries, new_company, on)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

REPAIR_MONTH = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))


def this_month():
    "Return the first and last days of the current month"
    today = dt.date.today()
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(
        days=1)
    return start, end


def create_region(name):
    "Return a new province of a new country"
    pool = Pool()
    Country = pool.get('country.country')
    Subdivision = pool.get('country.subdivision')
    country, = Country.create([{'name': "Country %s" % name}])
    region, = Subdivision.create([{
                'country': country.id, 'name': name, 'type': 'province'}])
    return region


def region_address(region):
    "Return the values of an address in region"
    return {'country': region.country.id, 'subdivision': region.id}


def create_customer(name, region=None):
    "Return a customer whose address is in region"
    Party = Pool().get('party.party')
    address = region_address(region) if region else {}
    party, = Party.create([{
                'name': name, 'addresses': [('create', [address])]}])
    return party


def repair(point, product, customer, received, done, lot=None,
        cause_code='quality'):
    """Return a repair order of product received then done on those days,
    through its workflow"""
    Order = Pool().get('aftersales.repair.order')
    with on(received):
        order, = Order.create([{
                    'company': point.company.id, 'point': point.id,
                    'date': received, 'customer': customer.id,
                    'product': product.id, 'lot': lot.id if lot else None,
                    'proof_of_purchase': "R-0001",
                    'purchase_date': received - dt.timedelta(days=30),
                    'signer_name': customer.name,
                    'lines': [('create', [{
                                    'component': component('ballast').id,
                                    'cause': cause(cause_code).id,
                                    }])],
                    }])
        Order.diagnose([order])
        if done > received:
            order.promised_date = done
            order.save()
            Order.promise([order])
    with on(done):
        Order.do([order])
    return order


def component(code):
    Component = Pool().get('aftersales.warranty.component')
    component, = Component.search([('code', '=', code)])
    return component


def create_lot(product, number):
    Lot = Pool().get('stock.lot')
    lot, = Lot.create([{'number': number, 'product': product.id}])
    return lot


def create_office_deliveries(company, lamps, tubes):
    """Return a lamp of lot L1 and a tube, and the North and South offices
    to which lamps of the lot and tubes were delivered"""
    lamp, tube = create_products(company)
    lot = create_lot(lamp, "L1")
    north = create_sender("North Office")
    south = create_sender("South Office")
    deliver(company, north, lamp, lamps, lot=lot)
    deliver(company, south, tube, tubes)
    return lamp, tube, lot, north, south


def submit(company, sender, lines):
    "Return the submitted return application of sender with lines"
    Application = Pool().get('aftersales.rma.application')
    application = create_signed_application(company, sender, lines)
    Application.submit([application])
    return application


def read_analysis(model, start, end, company=None):
    "Return the records of the analysis model for the dates"
    Model = Pool().get(model)
    context = {'from_date': start, 'to_date': end}
    if company:
        context['company'] = company.id
    with Transaction().set_context(context):
        return Model.search([])


class AnalysisTestCase(ActivatedTestCase):
    "The analysis reports"
    module = 'aftersales_audit'

    @with_transaction()
    def test_c10_failures_by_cause_product_lot_month(self):
        "C10: failures add up per cause, product, lot and month"
        start, end = this_month()
        with new_company(chart=True) as company:
            lamp, tube, lot, north, south = create_office_deliveries(
                company, 20, 20)
            submit(company, north, [(lamp, 3, lot), (lamp, 2, lot)])
            submit(company, south, [(tube, 4, None)])
            # a signed one is not a failure the office stands by yet
            create_signed_application(
                company, create_sender("East Office"), [(tube, 9, None)])
            point = create_point(company)
            customer = create_customer("Wang Fang")
            repair(point, lamp, customer, start, start, lot=lot,
                cause_code='user_damage')

            figures = {
                (f.cause.code, f.product, f.lot, f.year, f.month): (
                    f.reports, f.quantity)
                for f in read_analysis(
                    'aftersales.analysis.failure', start, end)}
            month = (start.year, start.month)
            self.assertEqual(figures, {
                    ('quality', lamp, lot, *month): (2, 5),
                    ('quality', tube, None, *month): (1, 4),
                    ('user_damage', lamp, lot, *month): (1, 1),
                    })
            # nothing before the month
            self.assertEqual(read_analysis('aftersales.analysis.failure',
                    start - dt.timedelta(days=40),
                    start - dt.timedelta(days=1)), [])

    @with_transaction()
    def test_c10_complaint_hot_spots_by_region(self):
        "C10: the founded complaints count per region of the customer"
        Call = Pool().get('aftersales.service.call')
        day = dt.date(2026, 5, 6)
        with new_company() as company:
            north, south = create_region("North"), create_region("South")
            for region, class_, validity in [
                    (north, 'product', 'valid'),
                    (north, 'product', None),
                    (north, 'service', 'valid'),
                    (north, 'product', 'invalid'),
                    (south, 'service', 'valid'),
                    ]:
                complaint = create_complaint(company, date=day,
                    complaint_class=class_, validity=validity)
                customer = complaint.customer
                customer.addresses = [region_address(region)]
                customer.save()
            create_complaint(company, date=dt.date(2026, 6, 1),
                complaint_class='product')
            # the area of the call prevails over the customer's address
            call = Call(company=company, kind='complaint',
                caller_name="Lin Mei", phone='0592-1234567',
                subdivision=south, start=dt.datetime(2026, 5, 6, 9))
            call.save()
            complaint = create_complaint(company, date=day,
                complaint_class='product', call=call)
            customer = complaint.customer
            customer.addresses = [region_address(north)]
            customer.save()

            figures = {(c.region, c.year, c.month): (
                    c.complaints, c.product_quality, c.service_quality)
                for c in read_analysis('aftersales.analysis.complaint',
                    dt.date(2026, 5, 1), dt.date(2026, 5, 31))}
            self.assertEqual(figures, {
                    (north, 2026, 5): (3, 2, 1),
                    (south, 2026, 5): (2, 1, 1),
                    })

    @with_transaction()
    def test_c10_repair_speed_and_repeats(self):
        "C10: repair days from arrival to closing, repeats within 90 days"
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        with new_company(chart=True) as company:
            lamp, = create_products(company, count=1)
            lot = create_lot(lamp, "L1")
            point = create_point(company)
            zhou = create_customer("Zhou Lan")
            wang = create_customer("Wang Fang")
            repair(point, lamp, zhou, dt.date(2026, 3, 2),
                dt.date(2026, 3, 4), lot=lot)
            # back 37 days after its repair: a repeat
            repair(point, lamp, zhou, dt.date(2026, 4, 10),
                dt.date(2026, 4, 10), lot=lot)
            # another customer's lamp of the same lot: not a repeat
            repair(point, lamp, wang, dt.date(2026, 4, 12),
                dt.date(2026, 4, 14), lot=lot)
            # back 144 days after its last repair
            repair(point, lamp, zhou, dt.date(2026, 9, 1),
                dt.date(2026, 9, 1), lot=lot)

            figures = {(r.point, r.office, r.year, r.month): (
                    r.repairs, r.average_days, r.repeats, r.repeat_rate)
                for r in read_analysis('aftersales.analysis.repair',
                    dt.date(2026, 1, 1), dt.date(2026, 12, 31))}
            self.assertEqual(figures, {
                    (point, point.office, 2026, 3): (1, 2, 0, 0),
                    (point, point.office, 2026, 4): (2, 1, 1, 0.5),
                    (point, point.office, 2026, 9): (1, 0, 0, 0),
                    })

            # the window is the configured one
            config = Configuration(1)
            config.repeat_repair_days = 150
            config.save()
            september, = read_analysis('aftersales.analysis.repair',
                dt.date(2026, 9, 1), dt.date(2026, 9, 30))
            self.assertEqual(september.repeats, 1)

    @with_transaction()
    def test_c10_return_rate_per_office(self):
        "C10: each office's returned quantity against its delivered one"
        start, end = this_month()
        with new_company(chart=True) as company:
            lamp, tube = create_products(company)
            north = create_sender("North Office")
            south = create_sender("South Office", role='logistics_partner')
            store = create_sender("Store", role='franchise_store',
                upstream=north)
            dealer = create_sender("Dealer", role='sub_distributor',
                upstream=store)
            deliver(company, north, lamp, 30)
            deliver(company, north, tube, 10)
            deliver(company, south, lamp, 8)
            # the office answers for its store and the store's dealer
            deliver(company, store, lamp, 50)
            deliver(company, dealer, lamp, 10)
            deliver(company, create_sender("Consumer", role='consumer'),
                lamp, 1)
            submit(company, north, [(lamp, 3, None), (tube, 1, None)])

            figures = {(r.office, r.year, r.month): (
                    r.delivered, r.returned, r.return_rate)
                for r in read_analysis('aftersales.analysis.return_rate',
                    start, end)}
            month = (start.year, start.month)
            self.assertEqual(figures, {
                    (north, *month): (100, 4, 0.04),
                    (south, *month): (8, 0, 0),
                    })

    @with_transaction()
    def test_c10_other_company_not_counted(self):
        "C10: a report counts only the figures of the context's company"
        start, end = this_month()
        with new_company(chart=True) as company:
            lamp, = create_products(company, count=1)
            office = create_sender("Office")
            deliver(company, office, lamp, 30)
            submit(company, office, [(lamp, 3, None)])
        with new_company(chart=True) as other:
            for model in ['aftersales.analysis.failure',
                    'aftersales.analysis.return_rate']:
                self.assertEqual(
                    read_analysis(model, start, end, other), [], model)
                self.assertEqual(
                    len(read_analysis(model, start, end, company)), 1, model)

    @with_transaction()
    def test_c10_sheet_queries_do_not_grow(self):
        "C10: a sheet is read with as many queries for 1 or 10 documents"
        start, end = this_month()
        Failure = Pool().get('aftersales.analysis.failure')
        counts, total = [], 0
        with new_company(chart=True) as company:
            products = create_products(company, count=10)
            for size in [1, 10]:
                office = create_sender("Office %s" % size)
                for product in products[:size]:
                    deliver(company, office, product, 5)
                submit(company, office, [(p, 1, None)
                        for p in products[:size]])
                list(Failure.workbook_sheet(company, start, end).rows)
                with count_queries() as counter:
                    rows = list(Failure.workbook_sheet(
                            company, start, end).rows)
                counts.append(counter.count)
                total += size
                self.assertEqual(sum(r[4] for r in rows), total)
        self.assertEqual(counts[0], counts[1])
