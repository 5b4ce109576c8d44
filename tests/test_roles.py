"""Each role does its own work holding only its own group

One database with the three addons and their demo (the roles_config fixture
of conftest.py), demo users included: each test acts as the demo login of
one role, which holds that role's group only (and the groups the group
inherits from). proteus then checks access rights, buttons and record rules
as the web client does. Records a role needs to find are prepared as the
admin.

The browser-marked test logs in to a built demo database through JSON-RPC
as each demo user and opens its main list.
"""
import base64
import datetime as dt
import json
import xml.etree.ElementTree as ET
import urllib.request
from pathlib import Path

import pytest

from proteus import Model, Wizard
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.aftersales_rma.schedule import week_window
from trytond.modules.aftersales_warranty.tests import demo as warranty_demo

ADDONS = Path(__file__).resolve().parent.parent / 'addons'


party = warranty_demo.channel_party


def product(code):
    Product = Model.get('product.product')
    record, = Product.find([('code', '=', code)])
    return record


def lot_of(code, age):
    "Return the demo lot of the product code made age months ago"
    Lot = Model.get('stock.lot')
    number = warranty_demo.lot_number(
        code, age, warranty_demo.company_today())
    lot, = Lot.find([('number', '=', number)])
    return lot


def new_application(month_offset, quantity=2):
    """Return a draft return application of the Guangzhou office for the
    office's return week month_offset months from now, returning quantity
    Round Ceiling Lamps 32W of the lot its store received"""
    Application = Model.get('aftersales.rma.application')
    Reason = Model.get('aftersales.rma.reason')
    Configuration = Model.get('aftersales.configuration')
    today = warranty_demo.company_today()
    month = (today.replace(day=1) + dt.timedelta(days=32 * month_offset)
        ).replace(day=1)
    first, _ = week_window(month.year, month.month, 3,
        Configuration(1).return_week_days)
    quality, = Reason.find([('code', '=', 'Q1')])
    application = Application(
        sender=party('office_guangzhou'), date=today, planned_date=first)
    application.lines.new(
        product=product('CL-32'), lot=lot_of('CL-32', 12),
        quantity=quantity, reason=quality,
        delivery_date=today - dt.timedelta(days=200))
    application.assessment = "镇流器异响，属质量问题。"
    return application


def submitted_application(month_offset):
    "Return an application the admin signed and submitted"
    application = new_application(month_offset)
    application.save()
    application.click('sign')
    application.click('submit')
    return application


def test_office_manager_files_return(act_as):
    "The office manager creates, signs and submits its return (R4, R5)"
    act_as('aftersales_warranty', 'group_office_manager')
    application = new_application(2)
    assert application.sender == party('office_guangzhou')
    application.save()
    application.click('sign')
    application.click('submit')
    assert application.state == 'submitted'


def test_office_manager_sees_own_returns_only(config, act_as):
    "Record rules show the office manager its own office's returns"
    Application = Model.get('aftersales.rma.application')
    others = Application.find([('sender', '!=', party('office_guangzhou').id)])
    assert others
    act_as('aftersales_warranty', 'group_office_manager')
    assert not Application.find([('id', 'in', [a.id for a in others])])


def test_customer_service_approves_return(act_as):
    "Customer service approves a submitted return (R4)"
    application = submitted_application(3)
    act_as('aftersales_warranty', 'group_customer_service')
    Application = Model.get('aftersales.rma.application')
    application = Application(application.id)
    application.click('approve')
    assert application.state == 'approved'
    assert application.return_shipment


def test_logistics_receives_and_counts_return(act_as):
    "Logistics receives an approved return and counts it (R5, R8)"
    application = submitted_application(4)
    application.click('approve')
    act_as('aftersales_warranty', 'group_logistics')
    Application = Model.get('aftersales.rma.application')
    application = Application(application.id)
    application.received_form_number = application.form_number
    application.save()
    application.click('arrive')
    assert application.state == 'arrived'
    line, = application.lines
    line.received_quantity = 1
    application.save()
    application.click('count')
    assert application.state == 'counted'
    assert application.return_shipment.state == 'done'


def test_clerk_checks_warranty_and_inspects_exchange(act_as):
    "The clerk runs the warranty check and decides an exchange (W1, W3)"
    act_as('aftersales_warranty', 'group_clerk')
    Registration = Model.get('aftersales.warranty.registration')
    registration = Registration.find([('lot', '!=', None)], limit=1)[0]
    check = Wizard('aftersales.warranty.check')
    check.form.registration = registration
    check.form.claimant = 'dealer'
    check.form.claim_date = warranty_demo.company_today()
    check.execute('result')
    assert check.form.answers
    check.execute('end')

    Inspection = Model.get('aftersales.warranty.inspection')
    inspection = Inspection(claimant_type='dealer')
    inspection.claimant = party('store_hangzhou')
    inspection.product = product('CFL-11')
    inspection.lot = lot_of('CFL-11', 4)
    inspection.date = warranty_demo.company_today()
    inspection.save()
    inspection.click('decide')
    assert inspection.state in {'exchange', 'refused', 'referred'}


def test_technical_inspects_batch_dispute(act_as):
    "The technical department inspects a batch dispute and decides (W5)"
    Dispute = Model.get('aftersales.rma.dispute')
    Employee = Model.get('company.employee')
    Party = Model.get('party.party')
    technician = Employee(party=Party(name="技术员 王工"))
    technician.party.save()
    technician.save()
    dispute = Dispute(
        dealer=party('store_shenzhen'), product=product('CFL-11'),
        lot=lot_of('CFL-11', 22), quantity=20, description="整批闪烁")
    dispute.save()
    dispute.click('open')

    act_as('aftersales_warranty', 'group_technical')
    dispute = Dispute(dispute.id)
    dispute.technician = Employee(technician.id)
    dispute.inspection_date = warranty_demo.company_today()
    dispute.finding = "抽检 10 只均正常。"
    dispute.save()
    dispute.click('close')
    assert dispute.state == 'closed'


def test_finance_settles_and_pays_deposit(config, act_as):
    "Finance settles rebates and compensations and takes a deposit (N3, N4)"
    Point = Model.get('aftersales.repair.point')
    point, = Point.find([('state', '=', 'applied')], limit=1)
    point.click('approve')
    assert point.deposit_invoice.state == 'posted'

    act_as('aftersales_warranty', 'group_finance')
    config.skip_warning = True
    Settlement = Model.get('aftersales.repair.settlement')
    settlement, = Settlement.find([('state', '=', 'draft')])
    settlement.click('queue_compute')
    settlement.click('queue_settle')
    assert settlement.state == 'done'

    Invoice = Model.get('account.invoice')
    PaymentMethod = Model.get('account.invoice.payment.method')
    invoice = Invoice(point.deposit_invoice.id)
    pay = invoice.click('pay')
    pay.form.payment_method, = PaymentMethod.find([], limit=1)
    pay.execute('choice')
    invoice.reload()
    assert invoice.state == 'paid'


def test_repair_point_records_repair_on_own_point_only(act_as):
    "A repair point records repairs on its own point, not on another's (R1)"
    Point = Model.get('aftersales.repair.point')
    Registration = Model.get('aftersales.warranty.registration')
    own, = Point.find([('party', '=', party('store_guangzhou').id)])
    other, = Point.find([('party', '=', party('store_shenzhen').id)])
    registration, = Registration.find([
            ('customer', '=', party('consumer_wang').id),
            ('state', '=', 'active'),
            ], limit=1)

    act_as('aftersales_repair_network', 'group_repair_point')
    Order = Model.get('aftersales.repair.order')
    Component = Model.get('aftersales.warranty.component')
    registration = Registration(registration.id)
    ballast, = Component.find([('code', '=', 'ballast')])

    def repair_order(point):
        order = Order(point=Point(point.id), customer=registration.customer)
        order.registration = registration
        order.product = registration.product
        order.proof_of_purchase = registration.proof_of_purchase
        order.purchase_date = registration.purchase_date
        order.lines.new(component=ballast)
        return order

    order = repair_order(own)
    order.save()
    order.click('diagnose')
    assert order.state == 'diagnosed'
    with pytest.raises(AccessError):
        repair_order(other).save()


@pytest.mark.parametrize('group', ['group_vice_president', 'group_auditor'])
def test_reader_reads_and_cannot_change(act_as, group):
    "The vice-president and the auditor read every document, change none"
    act_as('aftersales_warranty', group)
    for model in [
            'aftersales.rma.application', 'aftersales.rma.dispute',
            'aftersales.warranty.inspection', 'aftersales.warranty.quote',
            'aftersales.repair.order', 'aftersales.repair.point',
            'aftersales.repair.settlement']:
        assert Model.get(model).find([]), model
    Inspection = Model.get('aftersales.warranty.inspection')
    inspection = Inspection(claimant_type='dealer')
    inspection.claimant = party('store_hangzhou')
    inspection.product = product('CFL-11')
    inspection.date = warranty_demo.company_today()
    with pytest.raises(UserError):
        inspection.save()


def audit_plan(office, state):
    "Return the demo audit plan of office in state"
    Plan = Model.get('aftersales.audit.plan')
    plan, = Plan.find([
            ('office', '=', party(office).id), ('state', '=', state)])
    return plan


def test_vice_president_approves_audit_plan(act_as):
    "The vice-president approves a submitted audit plan, changes none (A3)"
    plan = audit_plan('office_shanghai', 'submitted')
    act_as('aftersales_warranty', 'group_vice_president')
    plan = Model.get('aftersales.audit.plan')(plan.id)
    plan.click('approve')
    assert plan.state == 'approved'
    plan.content = "Nothing"
    with pytest.raises(AccessError):
        plan.save()


def test_auditor_records_finding(act_as):
    """The auditor records a finding of the audit under way, and may not
    order its rectification (A7)"""
    plan = audit_plan('office_wuhan', 'in_progress')
    act_as('aftersales_warranty', 'group_auditor')
    Finding = Model.get('aftersales.audit.finding')
    finding = Finding(plan=Model.get('aftersales.audit.plan')(plan.id))
    finding.description = "Repair point deposits not reconciled."
    finding.severity = 'major'
    finding.save()
    Rectification = Model.get('aftersales.audit.rectification')
    forwarded, *_ = Finding.find([('state', '=', 'forwarded')])
    order = Rectification(finding=forwarded, instructions="Reconcile.")
    order.owner, = Model.get('company.employee').find([], limit=1)
    with pytest.raises(AccessError):
        order.save()


def test_line_manager_orders_rectification(act_as):
    """The line department orders the rectification of a forwarded finding;
    the office sees it, and answers it (A7)"""
    act_as('aftersales_audit', 'group_line_manager')
    Finding = Model.get('aftersales.audit.finding')
    Rectification = Model.get('aftersales.audit.rectification')
    finding, *_ = Finding.find([('state', '=', 'forwarded')])
    order = Rectification(finding=finding)
    order.instructions = "Count the stock again with the warehouse keeper."
    order.owner, = Model.get('company.employee').find([
            ('party.name', 'like', '%罗娟%')])
    order.due_date = order.date + dt.timedelta(days=14)
    order.save()
    assert order.state == 'open'
    act_as('aftersales_warranty', 'group_office_manager')
    order = Rectification(order.id)
    order.done_note = "Counted again: the shortfall is explained."
    order.click('do')
    assert order.state == 'done'
    act_as('aftersales_audit', 'group_line_manager')
    order = Rectification(order.id)
    order.click('close')
    assert order.state == 'closed'


# The tests of each role's group
ROLE_TESTS = {
    ('aftersales_warranty', 'group_clerk'):
        'test_clerk_checks_warranty_and_inspects_exchange',
    ('aftersales_warranty', 'group_customer_service'):
        'test_customer_service_approves_return',
    ('aftersales_warranty', 'group_office_manager'):
        'test_office_manager_files_return',
    ('aftersales_warranty', 'group_logistics'):
        'test_logistics_receives_and_counts_return',
    ('aftersales_warranty', 'group_technical'):
        'test_technical_inspects_batch_dispute',
    ('aftersales_warranty', 'group_finance'):
        'test_finance_settles_and_pays_deposit',
    ('aftersales_warranty', 'group_vice_president'):
        'test_reader_reads_and_cannot_change',
    ('aftersales_warranty', 'group_auditor'):
        'test_reader_reads_and_cannot_change',
    ('aftersales_repair_network', 'group_repair_point'):
        'test_repair_point_records_repair_on_own_point_only',
    ('aftersales_audit', 'group_line_manager'):
        'test_line_manager_orders_rectification',
    }


# The groups of a program's own user, not of people's roles: the portal's
# pages run as a user of their own
PROGRAM_GROUPS = {('aftersales_portal', 'group_portal')}


def declared_groups():
    """Return (module, xml id) of the role groups of the addons' XML: the
    res.group records no other group inherits from, but PROGRAM_GROUPS"""
    records = [(path.parent.name, record)
        for path in ADDONS.glob('*/*.xml')
        for record in ET.parse(path).iter('record')
        if record.get('model') == 'res.group']
    parents = {field.get('ref') for _, record in records
        for field in record.iter('field') if field.get('name') == 'parent'}
    return {(module, record.get('id')) for module, record in records
        if record.get('id') not in parents} - PROGRAM_GROUPS


def test_every_role_group_tested(config, logins):
    "Every group the addons define has a demo login and a test above"
    ModelData = Model.get('ir.model.data')
    groups = declared_groups()
    assert groups == set(ROLE_TESTS) == set(logins)
    assert all(callable(globals().get(t)) for t in ROLE_TESTS.values())
    for module, group in groups:
        user, = Model.get('res.user').find([
                ('login', '=', logins[module, group])])
        assert [g.id for g in user.groups] == [
            ModelData.get_id(module, group, config.context)]


def _rpc(url, method, params, session=None):
    request = urllib.request.Request(
        url, data=json.dumps(
            {'id': 0, 'method': method, 'params': params}).encode(),
        headers={'Content-Type': 'application/json'})
    if session:
        request.add_header('Authorization', 'Session ' + base64.b64encode(
                session.encode()).decode())
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    assert not answer.get('error'), (method, answer['error'])
    return answer['result']


# The model of each demo login's main list
MAIN_MODELS = {
    'clerk': 'aftersales.warranty.registration',
    'service': 'aftersales.rma.application',
    'office': 'aftersales.rma.application',
    'logistics': 'aftersales.rma.application',
    'technical': 'aftersales.rma.dispute',
    'finance': 'aftersales.repair.settlement',
    'vp': 'aftersales.rma.application',
    'auditor': 'aftersales.repair.settlement',
    'repairpoint': 'aftersales.repair.order',
    'line': 'aftersales.audit.rectification',
    }


@pytest.mark.browser
def test_demo_logins(demo_server, logins):
    "Each demo login logs in, gets its menu and reads its main list"
    assert set(MAIN_MODELS) == set(logins.values())
    url = demo_server + 'demo/rpc/'
    for login, model in MAIN_MODELS.items():
        user_id, key, _ = _rpc(url, 'common.db.login', [
                login, {'password': warranty_demo.USER_PASSWORD}, 'zh_CN'])
        session = f'{login}:{user_id}:{key}'
        preferences = _rpc(
            url, 'model.res.user.get_preferences', [True, {}], session)
        assert preferences['language'] == 'zh_CN', login
        context = {'company': preferences['company']}
        menus = _rpc(url, 'model.ir.ui.menu.search_read', [
                [('parent', '=', None)], 0, None, None, ['name'], context],
            session)
        assert menus, login
        records = _rpc(url, f'model.{model}.search_read', [
                [], 0, None, None, ['rec_name'], context], session)
        assert records, (login, model)
