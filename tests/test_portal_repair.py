"""The repair point's pages of the portal: its consigned parts and deposit
(N4), its old-for-new exchanges (W8), its repair orders and the overdue ones
(R2), its rebate and compensation (N3); none of them reaches another party
(W7); and the number of SQL queries of each list page does not grow with
the party's records"""
import datetime as dt
import re

import pytest

from proteus import Model
from trytond.modules.aftersales_portal.tests.client import (
    count_queries, login, text, url)
from trytond.modules.aftersales_portal.tests.demo import (
    OFFICE, OTHER_STORE, STORE)
from trytond.modules.aftersales_warranty.tests.demo import (
    channel_party, company_today)
from trytond.modules.aftersales_warranty.tests.tools import run_committed
from trytond.tests.test_tryton import DB_NAME

SETTLEMENT_LINE = 'aftersales.repair.settlement.line'
PAGES = ['repair/parts', 'repair/orders', 'repair/exchanges',
    'repair/statements']


@pytest.fixture(scope='module')
def point(config):
    "The repair point of the Guangzhou store"
    Point = Model.get('aftersales.repair.point')
    point, = Point.find([('party', '=', channel_party('store_guangzhou').id)])
    return point


def overdue_order(point, days=9):
    """A repair of the point received days ago, promised within the
    configured days and not done: overdue (R2)"""
    Order = Model.get('aftersales.repair.order')
    done, = Order.find([('point', '=', point.id)], limit=1)
    order, = Order.duplicate([done], {
            'date': company_today() - dt.timedelta(days=days)})
    order.click('diagnose')
    order.click('promise')
    assert order.overdue
    return order


@pytest.fixture(scope='module')
def overdue(point):
    return overdue_order(point)


def rows(response, table):
    "The rows of the table of id table, as their texts"
    html = response.get_data(as_text=True)
    body = html.split(f'id="{table}"')[1].split('</table>')[0]
    return [re.sub(r'\s+', ' ', re.sub(r'<[^>]+>', ' ', r)).strip()
        for r in re.findall(r'<tr[^>]*>(.*?)</tr>', body, re.S)][1:]


def test_n4_repair_point_sees_its_parts_and_deposit(config, point):
    "N4: the consigned parts, those below their safety level, the deposit"
    client = login(STORE)
    home = text(client.get(url()))
    assert '寄售配件' in home and '维修单' in home
    response = client.get(url('repair/parts'))
    assert response.status_code == 200
    page = text(response)
    assert point.number in page
    deposit = re.search(
        rf'id="deposit-{point.id}">([^<]*)<', response.get_data(as_text=True))
    assert '670.20' in deposit.group(1)
    assert '押金已付 是' in re.sub(r'\s+', ' ', page)
    parts = {p.product.code for p in point.parts}
    assert all(f'[{code}]' in page for code in parts)


def test_n4_no_links_for_a_party_without_repair_point(config):
    "An office is no repair point: its pages do not link the point's pages"
    page = login(OFFICE).get(url()).get_data(as_text=True)
    assert 'repair/parts' not in page


def test_r2_repair_point_sees_its_overdue_order(config, point, overdue):
    "R2: the overdue repair is marked, and listed alone when asked"
    client = login(STORE)
    response = client.get(url('repair/orders'))
    html = response.get_data(as_text=True)
    row = next(r for r in re.findall(r'<tr[^>]*>.*?</tr>', html, re.S)
        if overdue.number in r)
    assert 'class="overdue"' in row and '已逾期' in row
    assert '已承诺' in row
    overdue_only = rows(client.get(url('repair/orders'),
            query_string={'overdue': '1'}), 'repair-orders')
    assert len(overdue_only) == 1 and overdue.number in overdue_only[0]
    response = client.get(url(f'repair/orders/{overdue.id}'))
    assert response.status_code == 200
    assert 'id="overdue"' in response.get_data(as_text=True)


def test_w8_repair_point_sees_its_exchanges(config):
    "W8: the old-for-new exchanges of the point at its office"
    Exchange = Model.get('aftersales.repair.exchange')
    exchange, = Exchange.find([
            ('point.party', '=', channel_party('store_guangzhou').id)])
    exchanges = rows(
        login(STORE).get(url('repair/exchanges')), 'exchanges')
    assert [exchange.number in r for r in exchanges] == [True]
    assert '已完成' in exchanges[0]


def test_n3_repair_point_sees_its_rebate_and_compensation(config, point):
    "N3: the rebate agreement, the compensation and the credit notes"
    response = login(STORE).get(url('repair/statements'))
    rebate, = rows(response, 'rebates')
    assert '2 %' in rebate and '3 %' in rebate
    compensation, = rows(response, 'compensations')
    assert point.number in compensation and '20.00' in compensation
    credit_note, = rows(response, 'credit-notes')
    assert '100.00' in credit_note


def test_w7_other_party_reaches_none_of_it(config, point, overdue):
    """W7: another repair point's web user reaches none of the point's
    records: by their address, by the point's id in the query and through
    a search"""
    Exchange = Model.get('aftersales.repair.exchange')
    exchange, = Exchange.find([('point', '=', point.id)])
    client = login(OTHER_STORE)
    response = client.get(url(f'repair/orders/{overdue.id}'))
    assert response.status_code == 404
    assert overdue.number not in text(response)
    response = client.get(url('repair/parts'),
        query_string={'point': str(point.id)})
    assert response.status_code == 404
    assert point.number not in text(response)
    response = client.get(url('repair/orders'),
        query_string={'number': overdue.number})
    assert overdue.number not in text(response)
    for path, hidden in [
            ('repair/parts', point.number),
            ('repair/orders', overdue.number),
            ('repair/exchanges', exchange.number),
            ('repair/statements', point.number),
            ]:
        response = client.get(url(path))
        assert response.status_code == 200
        assert hidden not in text(response), path
    # Its own point shows
    assert 'RP-' in text(client.get(url('repair/parts')))
    own = login(STORE).get(url(f'repair/orders/{overdue.id}'))
    assert overdue.number in text(own)


def add_records(point, count):
    """Give the point's party count more of each record its pages list:
    parts, repair orders, exchanges, rebate agreements, compensation
    schemes, credit notes, return applications"""
    Application = Model.get('aftersales.rma.application')
    Compensation = Model.get('aftersales.repair.compensation')
    Exchange = Model.get('aftersales.repair.exchange')
    Product = Model.get('product.product')
    Rebate = Model.get('aftersales.repair.rebate')
    Template = Model.get('product.template')
    party = point.party
    parts = Product.find([('code', 'like', 'SP-%')])
    templates = Template.duplicate([parts[0].template] * count)
    for template in templates:
        point.parts.new(product=template.products[0], initial_quantity=5,
            safety_quantity=2)
    point.save()
    for days in range(count):
        overdue_order(point, days=5 + days)
    exchange, *_ = Exchange.find([('point', '=', point.id)])
    Exchange.duplicate([exchange] * count)
    rebate, *_ = Rebate.find([('party', '=', party.id)])
    Rebate.duplicate([rebate] * count)
    scheme, *_ = Compensation.find([('point', '=', point.id)])
    Compensation.duplicate([scheme] * count)
    office, = Application.find([
            ('sender', '=', channel_party('office_guangzhou').id)], limit=1)
    Application.save([Application(
                sender=party, planned_date=office.planned_date)
            for _ in range(count)])

    def credit_notes(pool):
        Invoice = pool.get('account.invoice')
        Line = pool.get('account.invoice.line')
        invoice, *_ = Invoice.search([
                ('party', '=', party.id),
                ('lines.origin', 'like', f'{SETTLEMENT_LINE},%'),
                ])
        origin = invoice.lines[0].origin
        copies = Invoice.copy([invoice] * count)
        Line.write([l for i in copies for l in i.lines], {'origin': origin})
    run_committed(DB_NAME, 0, credit_notes)


def request_queries(client, path, **query):
    "The number of SQL queries of a request, its caches warm"
    assert client.get(url(path), query_string=query).status_code == 200
    with count_queries() as statements:
        response = client.get(url(path), query_string=query)
    assert response.status_code == 200, text(response)[-300:]
    return len(statements)


def test_list_queries_do_not_grow_with_the_records(config, point, overdue):
    """Each list page of the repair point, its return applications and the
    warranty look-up send as many SQL queries whatever the number of the
    party's records"""
    Lot = Model.get('stock.lot')
    lot, = Lot.find([('product.code', '=', 'CFL-18')], limit=1)
    pages = [(p, {}) for p in PAGES] + [
        ('repair/orders', {'overdue': '1'}),
        ('applications', {}),
        ('warranty', {'product': 'CFL-18', 'lot': lot.number,
                'purchase_date': (
                    company_today() - dt.timedelta(days=3)).isoformat()}),
        ]
    client = login(STORE)
    # One record of each at least, so that every list shows a row
    add_records(point, 1)
    before = [request_queries(client, p, **q) for p, q in pages]
    add_records(point, 5)
    # the records show
    assert len(rows(client.get(url('repair/orders'),
                query_string={'overdue': '1'}), 'repair-orders')) == 7
    assert len(rows(client.get(url('repair/statements')),
            'credit-notes')) == 7
    # the new parts, none on hand, are below their safety quantity
    parts = client.get(url('repair/parts')).get_data(as_text=True)
    assert parts.count('class="low"') == 6
    after = [request_queries(client, p, **q) for p, q in pages]
    assert after == before, list(zip(pages, before, after))


def test_w7_web_user_without_party_reaches_none_of_it(config, point, overdue):
    """W7: a web user of no party reaches no repair point's records, though
    the office managers' record rules let a user of no party see every
    point"""
    WebUser = Model.get('web.user')
    WebUser(email='nobody@example.com', password='nobody-password').save()
    client = login('nobody@example.com', password='nobody-password')
    assert client.get(
        url(f'repair/orders/{overdue.id}')).status_code == 404
    assert client.get(url('repair/parts'),
        query_string={'point': str(point.id)}).status_code == 404
    for path in PAGES:
        page = text(client.get(url(path)))
        assert point.number not in page and overdue.number not in page
