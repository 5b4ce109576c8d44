"""Wrong values typed into the after-sales documents, wizards and buttons

One table: each case is what a user does with a wrong value (writes it on
the demo record a user would, then clicks the button), the error it must
get and the message of it. Each case runs as a request of the web client
does, in Simplified Chinese: in a transaction committed only when it
succeeds. The test checks the error, that its message is the translated
one, and that no table of the after-sales modules (nor the invoices, moves,
lots, attachments, e-mails) has changed.

Then property-based tests (hypothesis) of the warranty check, the
disposition of a return and the deposit of a repair point.

The database is the demo one of tests/conftest.py (the config fixture).
"""
import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import (
    HealthCheck, example, given, settings, strategies as st)

from trytond.exceptions import UserError
from trytond.model.exceptions import (
    DigitsValidationError, DomainValidationError)
from trytond.modules.aftersales_warranty.claim import Claim
from trytond.modules.aftersales_warranty.tests.tools import (
    load_translations, run_committed, snapshot)
from trytond.tests.test_tryton import DB_NAME

# The modules whose messages the cases expect
MODULES = ['aftersales_warranty', 'aftersales_rma',
    'aftersales_repair_network', 'aftersales_audit']
PLACEHOLDER = re.compile(r'%\(\w+\)[sdifr]')
CJK = re.compile(r'[\u4e00-\u9fff]')


def today(pool):
    return pool.get('ir.date').today()


def first(pool, model, domain, order=None):
    "Return the first record of model matching domain (by id)"
    records = pool.get(model).search(
        domain, order=order or [('id', 'ASC')], limit=1)
    assert records, (model, domain)
    return records[0]


def write(model, domain, **values):
    """Return the case writing values on the first record of domain; a
    callable value is called with the pool"""
    def case(pool):
        record = first(pool, model, domain)
        pool.get(model).write([record], {
                name: value(pool) if callable(value) else value
                for name, value in values.items()})
    return case


def click(model, domain, button):
    "Return the case clicking button on the first record of domain"
    def case(pool):
        getattr(pool.get(model), button)([first(pool, model, domain)])
    return case


def from_today(days, format=None):
    "Return the value of the date days from today, formatted with format"
    def value(pool):
        date = today(pool) + dt.timedelta(days=days)
        return date.strftime(format) if format else date
    return value


def order_call(**values):
    "Return the case recording an order call with values"
    def case(pool):
        Call = pool.get('aftersales.service.call')
        product = first(pool, 'product.product', [('salable', '=', True)])
        Call.create([{
                    'company': first(pool, 'company.company', []).id,
                    'kind': 'order', 'caller_name': "林梅",
                    'phone': '0592-1234567', 'start': dt.datetime.now(),
                    'product': product.id, 'quantity': 2,
                    **values}])
    return case


# --- the cases that need more than one step --------------------------------

def submit_draft_return(pool, change):
    """The office changes the lines of a draft return with change(lines),
    then signs and submits it"""
    Application = pool.get('aftersales.rma.application')
    application = first(pool, 'aftersales.rma.application',
        [('state', '=', 'draft')])
    change(list(application.lines))
    application.assessment = "整批质量问题"
    application.save()
    Application.sign([application])
    Application.submit([application])


def return_more_than_delivered(pool):
    "The office signs and submits a return of more lamps than it received"
    Line = pool.get('aftersales.rma.application.line')
    submit_draft_return(
        pool, lambda lines: Line.write(lines, {'quantity': 100000}))


def return_unknown_lot(pool):
    """The office returns lamps of a lot the factory never delivered to it:
    the lot is typed in as a new one"""
    Line = pool.get('aftersales.rma.application.line')
    Lot = pool.get('stock.lot')

    def unknown_lot(lines):
        line = lines[0]
        lot, = Lot.create([
                {'number': 'X-000000', 'product': line.product.id}])
        Line.write([line], {'lot': lot.id})
    submit_draft_return(pool, unknown_lot)


def dispose_more_than_received(pool):
    "Customer service credits more than the factory counted"
    Application = pool.get('aftersales.rma.application')
    Line = pool.get('aftersales.rma.application.line')
    application = first(pool, 'aftersales.rma.application',
        [('state', '=', 'counted')])
    for line in application.lines:
        Line.write([line], {
                'credit_quantity': line.received_quantity + 1,
                'unit_price': line.product.list_price_used,
                })
    Application.dispose([application])


def exchange_more_than_held(pool):
    "A point hands in more faulty parts than it holds"
    Exchange = pool.get('aftersales.repair.exchange')
    ExchangeLine = pool.get('aftersales.repair.exchange.line')
    exchange = first(pool, 'aftersales.repair.exchange',
        [('state', '=', 'draft')])
    ExchangeLine.write(list(exchange.lines), {'quantity': 100000})
    Exchange.do([exchange])


def settle_paid_period(pool):
    "Finance settles again a period another settlement paid"
    Settlement = pool.get('aftersales.repair.settlement')
    done = first(pool, 'aftersales.repair.settlement',
        [('state', '=', 'done')])
    settlement, = Settlement.copy([done])
    Settlement.compute([settlement])
    Settlement.settle([settlement])


def check_before_purchase(pool):
    "The warranty check of a claim dated before the purchase"
    registration = first(pool, 'aftersales.warranty.registration',
        [('state', '=', 'active')])
    _check(pool, {
            'registration': registration.id,
            'claim_date': registration.purchase_date - dt.timedelta(days=1),
            })


def check_lot_of_other_product(pool):
    "The warranty check of a lot given with another product"
    lot = first(pool, 'stock.lot', [('date_code', '!=', None)])
    product = first(pool, 'product.product', [
            ('type', '=', 'goods'), ('id', '!=', lot.product.id)])
    _check(pool, {'lot': lot.id, 'product': product.id,
            'claim_date': today(pool)})


def _check(pool, values):
    Check = pool.get('aftersales.warranty.check', type='wizard')
    Cause = pool.get('aftersales.warranty.cause')
    session_id, _, _ = Check.create()
    values.setdefault('claimant', 'consumer')
    values.setdefault('cause', Cause.quality_fault())
    Check.execute(session_id, {'start': values}, 'result')


def workbook_dates_reversed(pool):
    "Customer service asks for a workbook ending before it starts"
    Generate = pool.get('aftersales.report.workbook.generate', type='wizard')
    company = first(pool, 'company.company', [])
    session_id, _, _ = Generate.create()
    Generate.execute(session_id, {
            'start': {
                'company': company.id,
                'start_date': today(pool),
                'end_date': today(pool) - dt.timedelta(days=1),
                },
            }, 'generate')


DRAFT_APPLICATION = [('application.state', '=', 'draft')]
COUNTED_LINE = [('application.state', '=', 'counted')]
CODED_LOT = [('date_code', '!=', None)]
OPEN_REPAIR = [('state', 'in', ['diagnosed', 'promised'])]
DRAFT_EXCHANGE_LINE = [('exchange.state', '=', 'draft')]

# id: (rule, the user's steps, error class, message as module.xml id;
# None for trytond's own validation message)
CASES = {
    # zero and negative quantities
    'return-quantity-zero': ('R4', write(
            'aftersales.rma.application.line', DRAFT_APPLICATION,
            quantity=0), DomainValidationError, None),
    'return-quantity-negative': ('R4', write(
            'aftersales.rma.application.line', DRAFT_APPLICATION,
            quantity=-3), DomainValidationError, None),
    'received-negative': ('R8', write(
            'aftersales.rma.application.line', COUNTED_LINE,
            received_quantity=-1), DomainValidationError, None),
    'exchange-parts-zero': ('N4', write(
            'aftersales.repair.exchange.line', DRAFT_EXCHANGE_LINE,
            quantity=0), DomainValidationError, None),
    'registration-quantity-negative': ('W1', write(
            'aftersales.warranty.registration', [], quantity=-1),
        DomainValidationError, None),
    'order-call-quantity-negative': ('C2', order_call(quantity=-2),
        DomainValidationError, None),
    'order-call-price-negative': ('C2', order_call(
            unit_price=Decimal('-1')), DomainValidationError, None),
    'refund-negative': ('R2', write(
            'aftersales.repair.order', OPEN_REPAIR,
            refund_amount=Decimal('-5')), DomainValidationError, None),
    'carrier-claim-negative': ('W6', write(
            'aftersales.rma.carrier.claim', [], amount=Decimal('-1')),
        DomainValidationError, None),
    # more than delivered or received
    'return-more-than-delivered': ('R4', return_more_than_delivered,
        UserError, 'aftersales_rma.msg_return_exceeds_delivered'),
    'dispose-more-than-received': ('R9', dispose_more_than_received,
        UserError, 'aftersales_rma.msg_dispose_quantities'),
    'exchange-more-than-held': ('N4', exchange_more_than_held,
        UserError, 'aftersales_repair_network.msg_exchange_stock_short'),
    # dates out of order, future dates where the past is meant
    'return-planned-before-date': ('R6', write(
            'aftersales.rma.application', [('state', '=', 'draft')],
            planned_date=from_today(-400)),
        UserError, 'aftersales_rma.msg_application_date_order'),
    'purchase-in-future': ('W1', write(
            'aftersales.warranty.registration', [],
            purchase_date=from_today(1)),
        UserError, 'aftersales_warranty.msg_registration_purchase_future'),
    'repair-received-in-future': ('R2', write(
            'aftersales.repair.order', OPEN_REPAIR, date=from_today(1)),
        UserError, 'aftersales_repair_network.msg_repair_date_future'),
    'carrier-claim-in-future': ('W6', write(
            'aftersales.rma.carrier.claim', [], date=from_today(1)),
        UserError, 'aftersales_rma.msg_claim_date_future'),
    'inspection-in-future': ('W3', write(
            'aftersales.warranty.inspection', [], date=from_today(1)),
        UserError, 'aftersales_warranty.msg_inspection_future'),
    'settlement-ends-before-start': ('N3', write(
            'aftersales.repair.settlement', [('state', '=', 'draft')],
            end_date=from_today(-400)), DomainValidationError, None),
    'call-ends-before-start': ('C1', order_call(
            end=dt.datetime(2000, 1, 1)), DomainValidationError, None),
    'claim-before-purchase': ('W1', check_before_purchase,
        UserError, 'aftersales_warranty.msg_claim_before_purchase'),
    'workbook-dates-reversed': ('C10', workbook_dates_reversed,
        UserError, 'aftersales_audit.msg_workbook_dates'),
    # unknown lots, codes in the wrong format, text too long
    'date-code-unreadable': ('W4', write(
            'stock.lot', CODED_LOT, date_code='XX-9'),
        UserError, 'aftersales_warranty.msg_date_code_unreadable'),
    'date-code-too-long': ('W4', write(
            'stock.lot', CODED_LOT, date_code='2' * 300),
        UserError, 'aftersales_warranty.msg_date_code_unreadable'),
    'date-code-in-future': ('W4', write(
            'stock.lot', CODED_LOT, date_code=from_today(40, '%y%m%d')),
        UserError, 'aftersales_warranty.msg_date_code_future'),
    'return-unknown-lot': ('R4', return_unknown_lot,
        UserError, 'aftersales_rma.msg_return_untraceable'),
    'check-lot-of-other-product': ('W1', check_lot_of_other_product,
        UserError, 'aftersales_warranty.msg_claim_lot_product'),
    # amounts with too many decimals
    'carrier-claim-decimals': ('W6', write(
            'aftersales.rma.carrier.claim', [], amount=Decimal('10.005')),
        DigitsValidationError, None),
    'refund-decimals': ('R2', write(
            'aftersales.repair.order', OPEN_REPAIR,
            refund_amount=Decimal('10.005')), DigitsValidationError, None),
    'order-call-price-decimals': ('C2', order_call(
            unit_price=Decimal('1.00001')), DigitsValidationError, None),
    # duplicate submissions
    'dispose-twice': ('R9', click(
            'aftersales.rma.application.line',
            [('disposition_state', '=', 'disposed')], 'dispose'),
        UserError, 'aftersales_rma.msg_dispose_already'),
    'compute-settled': ('N3', click(
            'aftersales.repair.settlement', [('state', '=', 'done')],
            'compute'),
        UserError, 'aftersales_repair_network.msg_settlement_not_draft'),
    'settle-paid-period': ('N3', settle_paid_period,
        UserError, 'aftersales_repair_network.msg_settlement_all_settled'),
    }


@pytest.fixture(scope='module')
def zh_cn(config):
    "The context of the admin reading Simplified Chinese"
    def load(pool):
        Lang = pool.get('ir.lang')
        Lang.write(Lang.search([
                    ('code', '=', 'zh_CN'), ('active', '=', False)]),
            {'active': True})
        load_translations('zh_CN', *MODULES)
    run_committed(DB_NAME, 0, load)
    return dict(config.context, language='zh_CN')


def template(pool, message):
    "Return the text of message (module.xml id) in the context's language"
    ModelData = pool.get('ir.model.data')
    Message = pool.get('ir.message')
    module, xml_id = message.split('.')
    return Message(ModelData.get_id(module, xml_id)).text


@pytest.mark.parametrize('case', sorted(CASES))
def test_bad_input(config, zh_cn, case):
    """R2, R4, R6, R8, R9, N3, N4, W1, W3, W4, W6, C1, C2, C10: a wrong
    value gets a clear, translated error and nothing is written"""
    rule, steps, error, message = CASES[case]
    before = run_committed(DB_NAME, 0, snapshot)

    with pytest.raises(error) as info:
        run_committed(DB_NAME, config.user, steps, zh_cn)

    text = info.value.message
    if message:
        expected = run_committed(DB_NAME, config.user,
            lambda pool: template(pool, message), zh_cn)
        assert CJK.search(expected), (rule, message, "not translated")
        for fragment in PLACEHOLDER.split(expected):
            assert fragment.strip() in text, (rule, text, expected)
    assert run_committed(DB_NAME, 0, snapshot) == before, rule


# --- properties ------------------------------------------------------------

PROPERTIES = settings(max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=list(HealthCheck))


def rolled_back(config, function):
    "Call function with the pool in a transaction rolled back after"
    return run_committed(
        DB_NAME, config.user, function, config.context, commit=False)


def add_months(date, months):
    "date plus months, on the last day of a shorter month (RULEBOOK)"
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1)
        - dt.timedelta(days=1)).day
    return date.replace(year=year, month=month, day=min(date.day, last))


def test_w1_check_property(config):
    """W1: for any purchase and claim dates, the warranty check of a
    registration covers a component exactly from the purchase to the end of
    its months (both ends inside), and refuses a claim before the purchase
    with an error"""
    def facts(pool):
        Policy = pool.get('aftersales.warranty.policy')
        registration = first(pool, 'aftersales.warranty.registration',
            [('state', '=', 'active'), ('lot', '=', None)])
        policy = Policy.policies_of([registration.product])[
            registration.product.id]
        lines = [(l.component.id, l.months if l.covered else None)
            for l in policy.lines
            if not l.covered or l.basis == 'purchase']
        return registration.id, registration.purchase_date, lines
    registration_id, purchased, lines = rolled_back(config, facts)
    assert lines

    @PROPERTIES
    @given(days=st.integers(min_value=-60, max_value=800))
    def check(days):
        def answer(pool):
            Policy = pool.get('aftersales.warranty.policy')
            Registration = pool.get('aftersales.warranty.registration')
            claim = Claim(
                claim_date=purchased + dt.timedelta(days=days),
                registration=Registration(registration_id),
                purchase_date=purchased)
            try:
                return Policy.check([claim])[0]
            except UserError:
                return None
        answers = rolled_back(config, answer)
        claim_date = purchased + dt.timedelta(days=days)
        if claim_date < purchased:
            assert answers is None
            return
        by_component = {a.component.id: a for a in answers if a.component}
        for component, months in lines:
            covered = months is not None and (
                claim_date <= add_months(purchased, months))
            assert by_component[component].covered == covered
    check()


@PROPERTIES
@given(
    exchange=st.integers(min_value=-2, max_value=12),
    credit=st.integers(min_value=-2, max_value=12),
    reject=st.integers(min_value=0, max_value=12))
def test_r9_disposition_property(config, exchange, credit, reject):
    """R9: a line is disposed of exactly when exchange, credit and reject
    are not negative and add up to the received quantity; then the credit
    note credits the credit quantity, the replacement ships the exchange
    quantity; otherwise an error and nothing is created"""
    def dispose(pool):
        Line = pool.get('aftersales.rma.application.line')
        InvoiceLine = pool.get('account.invoice.line')
        Move = pool.get('stock.move')
        line = first(pool, 'aftersales.rma.application.line', COUNTED_LINE)
        values = {
            'exchange_quantity': exchange, 'credit_quantity': credit,
            'reject_quantity': reject, 'reject_reason': "灯头有撬痕",
            'unit_price': line.product.list_price_used,
            }
        try:
            Line.write([line], values)
            Line.dispose([line])
        except UserError:
            return None
        credited = InvoiceLine.search([('origin', '=', str(line))])
        moves = Move.search([('origin', '=', str(line)),
                ('to_location.type', '=', 'customer')])
        return (line.received_quantity,
            -sum(l.quantity for l in credited),
            sum(m.quantity for m in moves))
    result = rolled_back(config, dispose)

    def received(pool):
        return first(pool, 'aftersales.rma.application.line',
            COUNTED_LINE).received_quantity
    total = rolled_back(config, received)
    valid = min(exchange, credit) >= 0 and exchange + credit + reject == total
    assert (result is not None) == valid
    if valid:
        assert result == (total, credit, exchange)


# Opening a point (locations, parts, posted invoice, requisition) takes
# seconds: fewer examples, the limits among them
@settings(PROPERTIES, max_examples=8)
@given(rate=st.decimals(min_value=Decimal('-0.5'), max_value=Decimal('1.5'),
        places=4))
@example(rate=Decimal(0))
@example(rate=Decimal(1))
@example(rate=Decimal('-0.0001'))
@example(rate=Decimal('1.0001'))
def test_n4_deposit_property(config, rate):
    """N4: the deposit of a point is the configured share (between 0 and 1)
    of its initial parts' value, rounded to the currency, invoiced when not
    zero; a share outside 0 to 1 is refused"""
    def approve(pool):
        Configuration = pool.get('aftersales.configuration')
        Point = pool.get('aftersales.repair.point')
        point = first(pool, 'aftersales.repair.point',
            [('state', '=', 'applied')])
        value = sum((Decimal(str(l.quantity)) * l.product.list_price_used
                for l in point.scale.parts), Decimal(0))
        try:
            configuration = Configuration(1)
            configuration.deposit_rate = rate
            configuration.save()
            Point.approve([point])
        except UserError:
            return None
        point = Point(point.id)
        invoice = point.deposit_invoice
        return (point.company.currency.round(value * rate),
            point.deposit_amount,
            invoice.untaxed_amount if invoice else Decimal(0))
    result = rolled_back(config, approve)
    if not (0 <= rate <= 1):
        assert result is None
        return
    expected, amount, invoiced = result
    assert amount == expected
    assert invoiced == amount
