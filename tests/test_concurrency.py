"""Two users click the same button at the same moment

Each race runs its calls in threads of their own, each in its own trytond
transaction on its own PostgreSQL connection, as two requests of the web
client would. A barrier makes them overlap: every call has read the
records (and so taken its snapshot of the database) before any of them
writes. Each call is retried as trytond's dispatcher retries a request: a
transaction asking for locks is restarted holding them, and one that meets
a lock held by the other or a row the other changed is rolled back and
run again.

Exactly one call does the work; the others get a clear error or find the
work done and do nothing; the totals (credit notes, moves) stay right.

The database is the demo one of tests/conftest.py (the config fixture).
SQLite has no row locks and serialises its writers: the races need
PostgreSQL.
"""
import datetime as dt
import threading
import time
from contextlib import contextmanager
from decimal import Decimal

import pytest

from trytond import backend
from trytond.exceptions import UserError, UserWarning
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction, TransactionError

pytestmark = pytest.mark.skipif(backend.name == 'sqlite',
    reason="SQLite has no row locks and serialises its writers: "
    "the races need PostgreSQL")

BARRIER_TIMEOUT = 60
# The dispatcher retries a request database.retry times (5 by default); a
# test waits for the other call to commit, however slow the machine
ATTEMPTS = 100
RETRY_DELAY = 0.05


def _context(config):
    "The admin's context of the demo, its warnings confirmed"
    return dict(config.context, _skip_warnings=True)


@contextmanager
def transaction(config):
    "A transaction of the admin on the demo database, committed at the end"
    with Transaction().start(DB_NAME, config.user,
            context=_context(config)) as transaction:
        yield Pool()
        transaction.commit()


def _run(config, barrier, model, method, ids):
    """Call method of model on the records of ids, retried as the
    dispatcher does; return None when it returned, its error otherwise"""
    extras = {}
    ready = False
    for attempt in range(ATTEMPTS):
        try:
            with Transaction().start(DB_NAME, config.user,
                    context=_context(config), **extras) as transaction:
                try:
                    Model = Pool().get(model)
                    records = Model.browse(ids)
                    if not ready:
                        # Take the snapshot then wait for the other call
                        [r.state for r in records]
                        ready = True
                        barrier.wait(BARRIER_TIMEOUT)
                    getattr(Model, method)(records)
                except TransactionError as e:
                    transaction.rollback()
                    e.fix(extras)
                    continue
                except (UserError, UserWarning) as e:
                    transaction.rollback()
                    return e
                transaction.commit()
                return None
        except backend.DatabaseOperationalError:
            # A lock held or a row changed by the other call: run again
            time.sleep(RETRY_DELAY)
    raise AssertionError(f"{model}.{method} never ran to its end")


def race(config, *calls):
    """Run the calls, each (model, method, ids), at once; return for each
    None when it returned, its UserError otherwise"""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)
    failures = []

    def target(i, call):
        try:
            outcomes[i] = _run(config, barrier, *call)
        except BaseException as e:
            failures.append(e)
            barrier.abort()

    threads = [threading.Thread(target=target, args=(i, c))
        for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return outcomes


def origin_lines(pool, records):
    "Return the invoice lines whose origin is one of records"
    InvoiceLine = pool.get('account.invoice.line')
    return InvoiceLine.search([('origin', 'in', [str(r) for r in records])])


def test_r9_dispose_twice_credits_once(config):
    """R9: two users dispose of the same counted return at once: one credit
    note, the lines disposed once, the return done"""
    with transaction(config) as pool:
        Application = pool.get('aftersales.rma.application')
        application, = Application.search([('state', '=', 'counted')])
        for line in application.lines:
            line.exchange_quantity = 0
            line.reject_quantity = 0
            line.credit_quantity = line.received_quantity
            line.unit_price = line.product.list_price_used
        application.lines = application.lines
        application.save()
        ids = [application.id]

    outcomes = race(config,
        ('aftersales.rma.application', 'dispose', ids),
        ('aftersales.rma.application', 'dispose', ids))

    assert all(o is None or 'disposed' in str(o) for o in outcomes), outcomes
    with transaction(config) as pool:
        Application = pool.get('aftersales.rma.application')
        application, = Application.browse(ids)
        assert application.state == 'done'
        credited = origin_lines(pool, application.lines)
        assert len({l.invoice for l in credited}) == 1
        assert sorted(-l.quantity for l in credited) == sorted(
            l.received_quantity for l in application.lines)


def new_settlement(pool, days):
    """Return a new settlement computed for days of the demo's current
    quarter, whose draft settlement is cancelled to leave them unpaid"""
    Settlement = pool.get('aftersales.repair.settlement')
    demo, = Settlement.search(
        [('state', '!=', 'done')], order=[('start_date', 'DESC')], limit=1)
    if demo.state == 'draft':
        Settlement.cancel([demo])
    settlement, = Settlement.create([{
                'company': demo.company.id,
                'start_date': demo.start_date + dt.timedelta(days=days[0]),
                'end_date': demo.start_date + dt.timedelta(days=days[1]),
                'date': demo.date,
                }])
    Settlement.compute([settlement])
    assert settlement.lines
    return settlement


def _settlement_credits(pool, settlement):
    "Return the settlement's credit lines and every settlement credit line"
    InvoiceLine = pool.get('account.invoice.line')
    every = InvoiceLine.search([
            ('origin', 'like', 'aftersales.repair.settlement.line,%')])
    return origin_lines(pool, settlement.lines), every


def test_n3_settle_twice_pays_once(config):
    """N3: two users settle the same settlement at once: one credit note
    per party"""
    with transaction(config) as pool:
        settlement = new_settlement(pool, (0, 9))
        ids = [settlement.id]
        _, before = _settlement_credits(pool, settlement)

    outcomes = race(config,
        ('aftersales.repair.settlement', 'settle', ids),
        ('aftersales.repair.settlement', 'settle', ids))

    assert outcomes == [None, None], outcomes
    with transaction(config) as pool:
        settlement, = pool.get('aftersales.repair.settlement').browse(ids)
        assert settlement.state == 'done'
        credited, every = _settlement_credits(pool, settlement)
        assert len(every) - len(before) == len(credited)
        invoices = {l.invoice for l in credited}
        assert len(invoices) == len(settlement.lines)
        assert sum(i.total_amount for i in invoices) == -sum(
            l.total_amount for l in settlement.lines)


def test_n3_compute_while_settling(config):
    """N3: one user computes a settlement again while another settles it:
    the credit notes pay the settlement's lines, none of them twice"""
    with transaction(config) as pool:
        settlement = new_settlement(pool, (10, 19))
        ids = [settlement.id]
        _, before = _settlement_credits(pool, settlement)

    outcomes = race(config,
        ('aftersales.repair.settlement', 'settle', ids),
        ('aftersales.repair.settlement', 'compute', ids))

    assert outcomes[0] is None, outcomes
    assert outcomes[1] is None or (
        'no longer in draft' in outcomes[1].message), outcomes
    with transaction(config) as pool:
        settlement, = pool.get('aftersales.repair.settlement').browse(ids)
        assert settlement.state == 'done'
        assert settlement.lines
        credited, every = _settlement_credits(pool, settlement)
        # no credit line left paying a line computed away
        assert len(every) - len(before) == len(credited)
        assert len({l.invoice for l in credited}) == len(settlement.lines)


def test_r2_refund_twice_credits_once(config):
    "R2: two users refund the same repair at once: one credit note"
    with transaction(config) as pool:
        Order = pool.get('aftersales.repair.order')
        order, *_ = Order.search([('state', '=', 'promised')],
            order=[('id', 'ASC')])
        order.refund_amount = Decimal('88.00')
        order.save()
        ids = [order.id]

    outcomes = race(config,
        ('aftersales.repair.order', 'refund', ids),
        ('aftersales.repair.order', 'refund', ids))

    assert outcomes == [None, None], outcomes
    with transaction(config) as pool:
        order, = pool.get('aftersales.repair.order').browse(ids)
        assert order.state == 'refunded'
        line, = origin_lines(pool, [order])
        assert line.amount == Decimal('-88.00')


def test_r2_refund_while_repairing(config):
    """R2: one user refunds a repair while another closes it repaired:
    one of them only, the other finds it closed and does nothing"""
    with transaction(config) as pool:
        Order = pool.get('aftersales.repair.order')
        order, *_ = Order.search([('state', '=', 'diagnosed')],
            order=[('id', 'ASC')])
        order.signer_name = "刘洋"
        order.save()
        ids = [order.id]

    outcomes = race(config,
        ('aftersales.repair.order', 'refund', ids),
        ('aftersales.repair.order', 'do', ids))

    assert outcomes == [None, None], outcomes
    with transaction(config) as pool:
        Move = pool.get('stock.move')
        order, = pool.get('aftersales.repair.order').browse(ids)
        moves = Move.search(
            [('origin', 'in', [str(l) for l in order.lines])])
        credits = origin_lines(pool, [order])
        if order.state == 'refunded':
            assert (len(credits), len(moves)) == (1, 0)
        else:
            assert order.state == 'done'
            assert not credits
            assert moves and all(m.state == 'done' for m in moves)


def test_n4_exchange_twice_moves_once(config):
    """N4: two users do the same old-for-new exchange at once: each part
    moves once, the faulty one in and the new one out"""
    with transaction(config) as pool:
        Exchange = pool.get('aftersales.repair.exchange')
        exchange, = Exchange.search([('state', '=', 'draft')])
        ids = [exchange.id]
        parts = len(exchange.lines)

    outcomes = race(config,
        ('aftersales.repair.exchange', 'do', ids),
        ('aftersales.repair.exchange', 'do', ids))

    assert outcomes == [None, None], outcomes
    with transaction(config) as pool:
        Move = pool.get('stock.move')
        exchange, = pool.get('aftersales.repair.exchange').browse(ids)
        assert exchange.state == 'done'
        moves = Move.search(
            [('origin', 'in', [str(l) for l in exchange.lines])])
        assert len(moves) == 2 * parts
        assert all(m.state == 'done' for m in moves)
