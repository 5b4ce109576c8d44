"""The portal's pages, requested as a browser does: log in, the CSRF
token, the throttled logins, the language, the warranty look-up and the
party scope of the return applications (W7)

`config` is a copy of the demo database: the portal's web users are in it,
and its pages read in both Chinese languages."""
import datetime as dt
import re
from http.cookies import SimpleCookie

import pytest

from proteus import Model
from trytond.modules.aftersales_portal.tests.client import (
    Browser, login, text, url)
from trytond.modules.aftersales_portal.tests.demo import (
    OFFICE, OTHER_STORE, STORE)
from trytond.modules.aftersales_warranty.tests.demo import (
    USER_PASSWORD, channel_party)
from trytond import config as trytond_config


def csrf(client):
    "The CSRF token the client's cookie holds (one page read first)"
    client.get(url('login'))
    return client.get_cookie('aftersales_portal_csrf', path=url()).value


def test_login_sets_a_safe_session_cookie(config):
    client = Browser()
    token = csrf(client)
    response = client.post(url('login'), data={
            'email': OFFICE, 'password': USER_PASSWORD, 'csrf_token': token,
            'next': url('applications')})
    assert response.status_code == 303
    assert response.headers['Location'].endswith(url('applications'))
    cookie = SimpleCookie(next(
            h for h in response.headers.getlist('Set-Cookie')
            if h.startswith('aftersales_portal_session=')))
    session = cookie['aftersales_portal_session']
    assert session['httponly'] and session['samesite'] == 'Lax'
    assert not session['secure']  # served over plain HTTP here
    assert session['path'] == url()
    assert '广州办事处' in text(client.get(url()))


def test_session_cookie_is_secure_over_https(config):
    client = Browser()
    client.get(url('login'), base_url='https://localhost/')
    token = client.get_cookie(
        'aftersales_portal_csrf', domain='localhost', path=url()).value
    response = client.post(url('login'), base_url='https://localhost/',
        data={'email': OFFICE, 'password': USER_PASSWORD,
            'csrf_token': token})
    assert response.status_code == 303
    cookies = SimpleCookie()
    for header in response.headers.getlist('Set-Cookie'):
        cookies.load(header)
    assert cookies['aftersales_portal_session']['secure']


def test_page_without_session_goes_to_login(config):
    response = Browser().get(url('applications'))
    assert response.status_code == 303
    assert '/portal/login?next=' in response.headers['Location']


def test_wrong_password_is_refused_in_the_language(config):
    client = Browser('zh-TW')
    response = client.post(url('login'), data={
            'email': OTHER_STORE, 'password': 'wrong',
            'csrf_token': csrf(client)})
    assert response.status_code == 401
    assert '電子郵件或密碼錯誤' in text(response)
    assert client.get_cookie('aftersales_portal_session', path=url()) is None


def test_form_without_csrf_token_is_refused(config):
    "A login posted without the token of the page is refused"
    client = Browser()
    csrf(client)
    response = client.post(url('login'), data={
            'email': OFFICE, 'password': USER_PASSWORD})
    assert response.status_code == 403
    response = client.post(url('login'), data={
            'email': OFFICE, 'password': USER_PASSWORD,
            'csrf_token': 'forged'})
    assert response.status_code == 403
    assert client.get_cookie('aftersales_portal_session', path=url()) is None


@pytest.fixture
def max_attempt():
    "Two failed logins allowed (trytond waits 2**n - 1 s after the n-th)"
    saved = trytond_config.get('session', 'max_attempt', default='5')
    trytond_config.set('session', 'max_attempt', '2')
    yield 2
    trytond_config.set('session', 'max_attempt', saved)


def test_logins_are_throttled_after_failed_attempts(config, max_attempt):
    WebUser = Model.get('web.user')
    WebUser(email='throttled@example.com', password='right-one').save()
    client = Browser()
    token = csrf(client)
    statuses = [client.post(url('login'), data={
                'email': 'throttled@example.com', 'password': 'wrong',
                'csrf_token': token}).status_code
        for _ in range(max_attempt + 2)]
    assert statuses[:max_attempt + 1] == [401] * (max_attempt + 1)
    assert statuses[-1] == 429
    # Even the right password waits
    response = client.post(url('login'), data={
            'email': 'throttled@example.com', 'password': 'right-one',
            'csrf_token': token})
    assert response.status_code == 429


def test_language_switch(config):
    client = login(STORE)
    assert '退货申请' in text(client.get(url('applications')))
    response = client.get(url('language/zh_TW'),
        query_string={'next': url('applications')})
    assert response.headers['Location'].endswith(url('applications'))
    assert '退貨申請' in text(client.get(url('applications')))
    client.get(url('language/en'), query_string={'next': 'https://evil'})
    page = client.get(url('applications'))
    assert 'Return Applications' in text(page)


def test_logout_ends_the_session(config):
    client = login(STORE)
    token = client.get_cookie('aftersales_portal_csrf', path=url()).value
    response = client.post(url('logout'), data={'csrf_token': token})
    assert response.status_code == 303
    assert client.get(url('applications')).status_code == 303


def test_warranty_lookup(config):
    "W1: the answer per component, with its reason, for a lot"
    Lot = Model.get('stock.lot')
    lot, = Lot.find([('product.code', '=', 'CFL-18')], limit=1)
    client = login(STORE)
    response = client.get(url('warranty'), query_string={
            'product': 'CFL-18', 'lot': lot.number})
    # A consumer's claim without registration needs the purchase date
    assert response.status_code == 400
    assert '购买凭证日期' in text(response)
    purchased = dt.date.today() - dt.timedelta(days=3)
    response = client.get(url('warranty'), query_string={
            'product': 'CFL-18', 'lot': lot.number,
            'purchase_date': purchased.isoformat()})
    assert response.status_code == 200, text(response)[-300:]
    answers = response.get_data(as_text=True).split('id="answers"')[1]
    rows = re.findall(r'<tr>\s*<td>(.*?)</td>\s*<td class="(yes|no)">',
        answers, re.S)
    assert rows == [('整机（一换一）', 'yes')], answers
    assert '自购买日期起 12 个月' in answers
    response = client.get(url('warranty'), query_string={
            'product': 'NO-SUCH', 'lot': ''})
    assert response.status_code == 400
    assert '没有编码为“NO-SUCH”的产品' in text(response)
    response = client.get(url('warranty'), query_string={
            'product': 'CFL-18', 'purchase_date': '2026-13-40'})
    assert response.status_code == 400


@pytest.fixture(scope='module')
def store_application(config):
    "A draft application of the Guangzhou store, answered for by its office"
    Application = Model.get('aftersales.rma.application')
    office, = Application.find([
            ('sender', '=', channel_party('office_guangzhou').id)], limit=1)
    application = Application(sender=channel_party('store_guangzhou'))
    application.planned_date = office.planned_date
    application.save()
    return application


def test_parties_see_their_own_applications(config, store_application):
    "W7: an office sees its stores' returns, a store only its own"
    Application = Model.get('aftersales.rma.application')
    office_numbers = {a.number for a in Application.find([
                ('sender', '=', channel_party('office_guangzhou').id)])}
    other = Application.find([
            ('sender', '=', channel_party('office_shanghai').id)])[0]

    page = text(login(OFFICE).get(url('applications')))
    assert all(n in page for n in office_numbers)
    assert store_application.number in page
    assert other.number not in page

    page = text(login(STORE).get(url('applications')))
    assert store_application.number in page
    assert not any(n in page for n in office_numbers)


def test_other_partys_application_is_not_found(config, store_application):
    "W7: another party's return, by its URL and by a search"
    client = login(OTHER_STORE)
    response = client.get(url(f'applications/{store_application.id}'))
    assert response.status_code == 404
    assert store_application.number not in text(response)
    response = client.get(url('applications'), query_string={
            'number': store_application.number})
    assert store_application.number not in text(response)
    own = login(STORE).get(url(f'applications/{store_application.id}'))
    assert own.status_code == 200
    assert store_application.number in text(own)


def test_output_is_escaped(config):
    client = login(STORE)
    response = client.get(url('warranty'), query_string={
            'product': '<script>alert(1)</script>'})
    page = response.get_data(as_text=True)
    assert '<script>' not in page
    assert '&lt;script&gt;' in page
