"""The web client on the demo database, driven in headless chromium"""
import datetime as dt
import re
import shutil
from zoneinfo import ZoneInfo

import pytest

from trytond.modules.aftersales_warranty.tests.demo import (
    TIMEZONE, USER_PASSWORD, lot_number)

pytestmark = pytest.mark.browser


def demo_today():
    "Today in the demo company's time zone"
    return dt.datetime.now(ZoneInfo(TIMEZONE)).date()


SCREENSHOTS = [
    '01-menu', '02-registrations', '03-registration', '04-check',
    '05-check-result']


def test_warranty_screens(run_browser_script):
    """Log in, list the warranty registrations, open one, and run the
    warranty check on it as a dealer (W4 window from the date code)"""
    output = run_browser_script('warranty.mjs', SCREENSHOTS)
    assert 'answer(s):' in output


# The demo logins of the roles of a return (USERS of aftersales_warranty's
# tests/demo.py), all in zh_CN
RETURN_ROLES = {'office': 'office', 'service': 'service',
    'logistics': 'logistics'}
RETURN_SCREENSHOTS = [
    '01-applications', '02-line', '03-draft', '04-signed',
    '05-special-approval', '06-submitted', '07-approved', '08-shipped',
    '09-arrived', '10-count-line', '11-counted', '12-dispose-line',
    '13-done', '14-receipt']


def test_return_to_receipt(run_browser_script):
    """In zh_CN, role by role, a return of lot-tracked lamps goes from a new
    application to its receipt, printed as PDF where LibreOffice is
    installed and as ODT otherwise"""
    logins = {'LOT': lot_number('CL-32', 12, demo_today())}
    for role, login in RETURN_ROLES.items():
        logins[f'{role.upper()}_LOGIN'] = login
        logins[f'{role.upper()}_PASSWORD'] = USER_PASSWORD
    output = run_browser_script('rma.mjs', RETURN_SCREENSHOTS, **logins)
    expected = 'pdf' if shutil.which('soffice') else 'odt'
    assert re.search(rf'^receipt: \S+ {expected}$', output, re.M), output


SERVICE_SCREENSHOTS = [
    '01-calls', '02-call', '03-recorded', '04-complaint', '05-classified',
    '06-assigned']


def test_complaint_call(run_browser_script):
    """In zh_CN, the hotline clerk records the complaint call of a new
    caller (C1, C3) and takes its complaint to the assignment of its
    responsibility (C5)"""
    output = run_browser_script('service.mjs', SERVICE_SCREENSHOTS,
        CLERK_LOGIN='clerk', CLERK_PASSWORD=USER_PASSWORD)
    assert re.search(r'^complaint \S+ assigned$', output, re.M), output


AUDIT_SCREENSHOTS = [
    '01-plan', '02-approved', '03-forwarded', '04-ordered', '05-done']


def test_audit_rectification(run_browser_script):
    """In zh_CN, role by role: the vice-president approves an audit plan
    (A3) and forwards a reported finding, the line department orders its
    rectification and the audited office answers it (A7)"""
    output = run_browser_script('audit.mjs', AUDIT_SCREENSHOTS,
        VP_LOGIN='vp', LINE_LOGIN='line', OFFICE_LOGIN='office',
        PASSWORD=USER_PASSWORD)
    assert re.search(r'^rectification \S+ done$', output, re.M), output


PORTAL_SCREENSHOTS = [
    '01-home', '02-warranty', '03-application', '04-zh-TW', '05-not-found',
    '06-searched']


def test_portal(run_browser_script):
    """On a phone-sized screen, a franchise store looks up a warranty (W1),
    its office follows a return, and another store cannot reach that return
    by its address, by its id in a form nor by a search (W7); a form posted
    without its CSRF token is refused"""
    today = demo_today()
    output = run_browser_script('portal.mjs', PORTAL_SCREENSHOTS,
        PASSWORD=USER_PASSWORD, LOT=lot_number('CFL-18', 12, today),
        PURCHASE_DATE=(today - dt.timedelta(days=3)).isoformat())
    assert re.search(r'^answers: [1-9]', output, re.M), output
    assert re.search(r'^other party: 404$', output, re.M), output
    assert re.search(
        r"^other party's id in a form: 404$", output, re.M), output
    assert re.search(
        r"^other party's number searched: 0 found$", output, re.M), output
    assert re.search(r'^without token: 403$', output, re.M), output


PORTAL_REPAIR_SCREENSHOTS = [
    '01-home', '02-parts', '03-orders', '04-order', '05-exchanges',
    '06-statements']


def test_portal_repair_point(run_browser_script, demo_server):
    """On a phone-sized screen, a repair point sees the parts consigned to
    it and its deposit (N4) and its repair order past its promise (R2);
    then, as the order's page asks, the point refunds the customer, which
    leaves the demo with its one overdue repair"""
    from trytond.modules.aftersales_warranty.tests.servers import Session
    today = demo_today()
    admin = Session(demo_server.rstrip('/'), 'demo', 'admin', 'admin')
    orders = 'aftersales.repair.order'
    done = admin.model(orders, 'search', [
            ('point.party.name', '=', '广州天河灯饰专卖店'),
            ('state', '=', 'done')], 0, 1, None)
    # Received 9 days ago and promised within the configured days
    ids = admin.model(orders, 'copy', done,
        {'date': today - dt.timedelta(days=9)})
    admin.model(orders, 'diagnose', ids)
    admin.model(orders, 'promise', ids)
    order, = admin.model(orders, 'read', ids, ['number'])
    number = order['number']
    try:
        output = run_browser_script('portal_repair.mjs',
            PORTAL_REPAIR_SCREENSHOTS, PASSWORD=USER_PASSWORD, ORDER=number)
    finally:
        admin.model(orders, 'refund', ids)
    assert re.search(r'^deposit: .*670\.20', output, re.M), output
    assert re.search(rf'^overdue: {number}$', output, re.M), output
    assert re.search(rf'^order: {number} 已承诺$', output, re.M), output


PORTAL_RETURN_SCREENSHOTS = [
    '01-login', '02-home', '03-warranty', '04-new', '05-draft',
    '06-submitted', '07-approved']


def test_portal_return(run_browser_script):
    """On the portal, in zh_CN on a phone-sized screen: a franchise store
    looks up a warranty (W1), files a return of two lines with a photo,
    signs and submits it (R4, R5); once customer service approved it through
    JSON-RPC, the store sees it approved and downloads its registration
    form"""
    today = demo_today()
    output = run_browser_script('portal_return.mjs',
        PORTAL_RETURN_SCREENSHOTS, STORE_EMAIL='store.guangzhou@example.com',
        STORE_PASSWORD=USER_PASSWORD,
        SERVICE_LOGIN='service', SERVICE_PASSWORD=USER_PASSWORD,
        LOT=lot_number('CFL-18', 4, today),
        LOT2=lot_number('RL-13', 4, today),
        PURCHASE_DATE=(today - dt.timedelta(days=3)).isoformat())
    states = re.findall(r'^application: \d+ (\S+)$', output, re.M)
    assert states == ['草稿', '已签字', '已提交', '已批准'], output
    expected = 'pdf' if shutil.which('soffice') else 'odt'
    assert re.search(rf'^registration form: \S+ {expected}$', output,
        re.M), output
