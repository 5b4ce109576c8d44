"The hotline's calls: caller history, order routing, inquiries (C1, C2, C4)"
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from trytond.modules.aftersales_rma.tests.test_module import create_products
from trytond.modules.aftersales_warranty.tests.tools import (
    ActivatedTestCase, new_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from ..exceptions import CallError

# 2026-05-06 is a Wednesday; Shanghai is UTC+8
WEDNESDAY = dt.date(2026, 5, 6)
FRIDAY = dt.date(2026, 5, 8)


def shanghai(day, hour, minute=0):
    "Return the naive UTC time of day at hour:minute in Shanghai"
    return dt.datetime.combine(day, dt.time(hour, minute)) - dt.timedelta(
        hours=8)


def in_shanghai(company):
    company.timezone = 'Asia/Shanghai'
    company.save()


def create_areas():
    "Return a province, a city in it and another province"
    pool = Pool()
    Country = pool.get('country.country')
    Subdivision = pool.get('country.subdivision')
    china = Country(name="China", code='CN')
    china.save()
    fujian, jilin = Subdivision.create([
            {'country': china.id, 'code': 'CN-FJ', 'name': "Fujian",
                'type': 'province'},
            {'country': china.id, 'code': 'CN-JL', 'name': "Jilin",
                'type': 'province'}])
    xiamen, = Subdivision.create([
            {'country': china.id, 'name': "Xiamen", 'type': 'city',
                'parent': fujian.id}])
    return fujian, xiamen, jilin


def create_channel(company, name, areas):
    Channel = Pool().get('aftersales.service.channel')
    channel = Channel(company=company, name=name, subdivisions=areas)
    channel.save()
    return channel


@contextmanager
def fujian_retail():
    """Work in a new company on Shanghai time whose retail channel serves
    Fujian; yield the company, the channel and the areas of create_areas"""
    with new_company(chart=True) as company:
        in_shanghai(company)
        areas = create_areas()
        channel = create_channel(company, "Fujian Retail", areas[:1])
        yield company, channel, areas


def order_call(company, area, start, phone='0592-1234567', product=None):
    "Return a draft order call of a new caller in area taken at start"
    if product is None:
        product, = create_products(company, count=1)
        product.template.salable = True
        product.template.sale_uom = product.default_uom
        product.template.save()
    Call = Pool().get('aftersales.service.call')
    call = Call(
        company=company, kind='order', caller_name="Lin Mei", phone=phone,
        street="12 Hubin Road", subdivision=area, start=start,
        product=product, quantity=2, unit_price=Decimal('75'))
    call.save()
    return call


def routed_call(company, area, start):
    "Return an order call of a new caller in area taken at start, routed"
    Call = Pool().get('aftersales.service.call')
    call = order_call(company, area, start)
    Call.route([call])
    return call


class CallTestCase(ActivatedTestCase):
    "Test the hotline's calls"
    module = 'aftersales_service'

    @with_transaction()
    def test_c2_order_before_cutoff_goes_out_same_day(self):
        "C2: an order at 09:59 in the company's time zone goes out that day"
        with fujian_retail() as (company, channel, (_, xiamen, _)):
            call = routed_call(company, xiamen, shanghai(WEDNESDAY, 9, 59))
            self.assertEqual(call.state, 'routed')
            self.assertEqual(call.channel, channel)
            self.assertEqual(call.route_date, WEDNESDAY)
            sale = call.sale
            self.assertEqual(sale.state, 'draft')
            self.assertEqual(sale.party, call.caller)
            self.assertEqual(sale.party.name, "Lin Mei")
            self.assertEqual(sale.sale_date, WEDNESDAY)
            self.assertEqual(sale.shipment_address.subdivision, xiamen)
            line, = sale.lines
            self.assertEqual(line.quantity, 2)
            self.assertEqual(line.unit_price, Decimal('75'))

    @with_transaction()
    def test_c2_order_after_cutoff_goes_out_next_day(self):
        "C2: an order at 10:00 goes out the next working day"
        with fujian_retail() as (company, _, (_, xiamen, _)):
            call = routed_call(company, xiamen, shanghai(WEDNESDAY, 10))
            self.assertEqual(call.route_date, dt.date(2026, 5, 7))
            # Early in the morning in Shanghai is still the day before in UTC
            early = routed_call(company, xiamen, shanghai(WEDNESDAY, 7))
            self.assertEqual(early.start.date(), dt.date(2026, 5, 5))
            self.assertEqual(early.route_date, WEDNESDAY)

    @with_transaction()
    def test_c2_friday_after_cutoff_goes_out_monday(self):
        "C2: an order on Friday after the cut-off goes out on Monday"
        pool = Pool()
        Call = pool.get('aftersales.service.call')
        Configuration = pool.get('aftersales.configuration')
        with fujian_retail() as (company, _, (_, xiamen, _)):
            friday = order_call(company, xiamen, shanghai(FRIDAY, 15))
            saturday = order_call(
                company, xiamen, shanghai(FRIDAY + dt.timedelta(1), 9))
            Call.route([friday, saturday])
            self.assertEqual(friday.route_date, dt.date(2026, 5, 11))
            self.assertEqual(saturday.route_date, dt.date(2026, 5, 11))

            # The cut-off is the company's configuration
            configuration = Configuration(1)
            configuration.order_cutoff = dt.time(16, 0)
            configuration.save()
            late = routed_call(company, xiamen, shanghai(FRIDAY, 15))
            self.assertEqual(late.route_date, FRIDAY)

    @with_transaction()
    def test_c2_out_of_area_caller_answered(self):
        "C2: a caller no channel serves is told so, and it is recorded"
        with fujian_retail() as (company, _, (_, _, jilin)):
            call = routed_call(company, jilin, shanghai(WEDNESDAY, 9))
            self.assertEqual(call.state, 'out_of_area')
            self.assertIsNone(call.sale)
            self.assertIsNone(call.channel)
            self.assertIn("Jilin", call.out_of_area_answer)
            self.assertIn("sorry", call.out_of_area_answer)

    @with_transaction()
    def test_c2_nearest_area_channel_wins(self):
        "C2: a city's own channel comes before its province's"
        with fujian_retail() as (company, _, (_, xiamen, _)):
            city = create_channel(company, "Xiamen Home Delivery", [xiamen])
            call = routed_call(company, xiamen, shanghai(WEDNESDAY, 9))
            self.assertEqual(call.channel, city)

    @with_transaction()
    def test_c2_order_without_product_refused(self):
        "C2: an order call without its product is not routed"
        pool = Pool()
        Call = pool.get('aftersales.service.call')
        with fujian_retail() as (company, _, (_, xiamen, _)):
            call = order_call(company, xiamen, shanghai(WEDNESDAY, 9))
            call.product = None
            call.save()
            with self.assertRaisesRegex(CallError, 'Product'):
                Call.route([call])
            self.assertEqual(Call(call.id).state, 'draft')

    @with_transaction()
    def test_c1_known_phone_shows_caller_history(self):
        "C1: typing a known phone number shows the caller and earlier calls"
        pool = Pool()
        Call = pool.get('aftersales.service.call')
        with fujian_retail() as (company, _, (_, xiamen, _)):
            first = routed_call(company, xiamen, shanghai(WEDNESDAY, 9))

            call = Call(company=company, kind='inquiry')
            call.phone = '0592-1234567'
            call.on_change_phone()
            self.assertEqual(call.caller, first.caller)
            self.assertEqual(call.subdivision, xiamen)
            self.assertEqual(
                list(call.on_change_with_earlier_calls()), [first.id])

    @with_transaction()
    def test_c4_inquiry_turns_into_order_call(self):
        "C4: an inquiry is recorded; one click makes its caller an order"
        pool = Pool()
        Call = pool.get('aftersales.service.call')
        with new_company() as company:
            _, xiamen, _ = create_areas()
            inquiry = Call(
                company=company, kind='inquiry', caller_name="Chen Hao",
                phone='0592-7654321', subdivision=xiamen,
                topic="Prices of LED panels",
                answer="Told the list prices and the spring promotion.",
                prospect=True)
            inquiry.save()
            Call.record([inquiry])
            self.assertEqual(inquiry.state, 'recorded')
            self.assertTrue(inquiry.end)
            Call.to_order([inquiry])
            order = inquiry.order_call
            self.assertEqual(order.kind, 'order')
            self.assertEqual(order.state, 'draft')
            self.assertEqual(order.caller, inquiry.caller)
            self.assertEqual(order.phone, '0592-7654321')
            self.assertNotEqual(order.number, inquiry.number)

    @with_transaction()
    def test_c3_complaint_call_opens_complaint(self):
        "C1, C3: a complaint call opens a sale complaint at its first step"
        pool = Pool()
        Call = pool.get('aftersales.service.call')
        with new_company() as company:
            call = Call(
                company=company, kind='complaint', caller_name="Wu Fang",
                phone='021-5550000', complaint_target="Ceiling lamp",
                complaint_reason="Flickers after a week.")
            call.save()
            Call.record([call])
            complaint = call.complaint
            self.assertEqual(complaint.step, 'recorded')
            self.assertEqual(complaint.customer, call.caller)
            self.assertEqual(complaint.description, "Flickers after a week.")
            self.assertEqual(complaint.call, call)
            self.assertTrue(complaint.reply_due)
