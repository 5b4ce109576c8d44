"""Benchmark: the disposal of a 1,000-line return application against
Tryton's own sale_complaint crediting the same 1,000 lines (the peer,
measured in the same run)

Ours: Application.dispose of a counted application of 1,000 lines, once
with every line credited (3 units each) and once with each line
exchanged, credited and rejected one unit each (one credit note and one
replacement shipment).

Peer: one sale.complaint on a posted customer invoice of the same 1,000
lines (3 units each), with one credit-note action covering every line,
driven draft -> wait -> approve -> process (process is called directly:
without a queue worker, approve leaves it to a task run after the commit).

Prints, per backend, the time and the query count of each run and their
ratio to the peer, on PostgreSQL (TRYTOND_DATABASE_URI or the local
server); --backend sqlite runs it on SQLite (in a file) instead: creating
the documents takes minutes there. REPEAT (1 by default: the peer takes
about a minute) runs of each; the median is kept. Writes
bench/results/disposal.json. Options: --backend postgresql|sqlite,
--profile (cProfile of our all-credited run, top entries printed). DB_CACHE,
as for the tests, makes the modules' activation quick.
"""
import json
import os
import time
from decimal import Decimal

from common import (
    Runner, activate, bench_backends, main, measure, print_table_head,
    profiled, start_pool, timings, write_results)

LINES = 1_000
REPEAT = int(os.environ.get('REPEAT', 1))
GOAL_RATIO = 0.05
# SQLite on --backend sqlite only: creating the documents takes minutes
BACKENDS = ['postgresql']
RESULTS = os.path.join(os.path.dirname(__file__), 'results', 'disposal.json')
RUNS = [
    ('credit', "dispose, all credited"),
    ('mixed', "dispose, mixed"),
    ('peer', "sale_complaint credit"),
    ]


# --- the child process, run with the backend's environment -----------------

def set_up():
    """Create the company, its chart, fiscal year and products, and the
    documents of the runs; return the ids"""
    from trytond.modules.account.tests import create_chart, get_fiscalyear
    from trytond.modules.account_invoice.tests import set_invoice_sequences
    from trytond.modules.aftersales_rma.tests.test_module import (
        create_counted_application, create_products)
    from trytond.modules.aftersales_warranty.tests.tools import (
        in_transaction)
    from trytond.modules.company.tests import create_company, set_company
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME

    activated = activate(['aftersales_rma', 'sale_complaint'])

    def create():
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        Model = pool.get('ir.model')
        Type = pool.get('sale.complaint.type')
        company = create_company()
        with set_company(company):
            create_chart(company)
            fiscalyear = set_invoice_sequences(get_fiscalyear(company))
            fiscalyear.save()
            FiscalYear.create_period([fiscalyear])
            products = create_products(company)
            invoice_model, = Model.search(
                [('name', '=', 'account.invoice')])
            Type(name="Invoice", origin=invoice_model).save()
            # the peer's first: posting locks the invoice sequence, which
            # starts the transaction again; a small application warms the
            # caches
            documents = {f'peer {i}': complaint_on_invoice(
                    company, products, f"Customer {i}").id
                for i in range(REPEAT)}
            documents['warm-up'] = create_counted_application(
                company, products, 2, "Warm-up").id
            for i in range(REPEAT):
                for run in ['credit', 'mixed']:
                    documents[f'{run} {i}'] = counted_application(
                        company, products, f"Office {run} {i}",
                        credit_only=run == 'credit').id
        return {'company': company.id, 'documents': documents}
    start = time.perf_counter()
    result = in_transaction(DB_NAME, create)
    return dict(result, activation_s=activated,
        data_s=time.perf_counter() - start)


def counted_application(company, products, name, credit_only):
    """Return a counted application of LINES lines of products, each line
    credited 3 units if credit_only, else exchanged, credited and rejected
    one unit each"""
    from trytond.modules.aftersales_rma.tests.test_module import (
        create_counted_application)
    from trytond.pool import Pool
    Line = Pool().get('aftersales.rma.application.line')
    application = create_counted_application(company, products, LINES, name)
    if credit_only:
        Line.write(list(application.lines), {
                'exchange_quantity': 0, 'credit_quantity': 3,
                'reject_quantity': 0, 'reject_reason': None})
    return application


def complaint_on_invoice(company, products, name):
    """Return a draft complaint on a posted invoice of LINES lines of
    products, 3 units each, with one credit-note action of every line"""
    from trytond.pool import Pool
    pool = Pool()
    Action = pool.get('sale.complaint.action')
    ActionLine = pool.get('sale.complaint.action-account.invoice.line')
    Address = pool.get('party.address')
    Complaint = pool.get('sale.complaint')
    Invoice = pool.get('account.invoice')
    InvoiceLine = pool.get('account.invoice.line')
    Party = pool.get('party.party')
    Type = pool.get('sale.complaint.type')
    customer = Party(name=name, addresses=[Address()])
    customer.save()
    invoice = Invoice(
        company=company, type='out', party=customer,
        invoice_address=customer.addresses[0], currency=company.currency,
        account=customer.account_receivable_used)
    invoice.set_journal()
    invoice.lines = [InvoiceLine(
            company=company, currency=company.currency, type='line',
            product=product, description=product.rec_name, quantity=3,
            unit=product.default_uom, unit_price=Decimal('8'),
            account=product.account_revenue_used,
            taxes=product.customer_taxes_used)
        for product in (products * LINES)[:LINES]]
    invoice.save()
    Invoice.post([invoice])
    type_, = Type.search([('name', '=', "Invoice")])
    complaint = Complaint(
        company=company, customer=customer, type=type_, origin=invoice,
        actions=[Action(action='credit_note', invoice_lines=[
                    ActionLine(line=l) for l in invoice.lines])])
    complaint.save()
    return complaint


def run(setup, profile=False):
    """Measure our runs and the peer's, each in its own transaction (the
    disposal locks its lines, which Tryton asks to take when the
    transaction starts), or profile our all-credited run"""
    from trytond.modules.aftersales_warranty.tests.tools import (
        in_transaction)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    name = start_pool()
    context = {'company': setup['company'], 'language': 'en'}
    documents = setup['documents']

    def dispose(key, run=None):
        Application = Pool().get('aftersales.rma.application')
        application = Application(documents[key])
        if run is None:
            Application.dispose([application])
            return
        _, result = measure(Application.dispose, [application])
        check_disposed(Application(application.id), run)
        return result

    def peer(key):
        Complaint = Pool().get('sale.complaint')
        complaint = Complaint(documents[key])

        def process():
            Complaint.wait([complaint])
            Complaint.approve([complaint])
            Complaint.process([complaint])
        _, result = measure(process)
        check_credited(Complaint(complaint.id))
        return result

    def profile_dispose():
        Application = Pool().get('aftersales.rma.application')
        _, stats = profiled(
            Application.dispose, [Application(documents['credit 0'])])
        stats.sort_stats('tottime').print_stats(20)
        stats.sort_stats('cumulative').print_stats(
            'aftersales|modelsql|modelstorage|invoice', 30)
        Transaction().rollback()

    in_transaction(name, lambda: dispose('warm-up'), context)
    if profile:
        in_transaction(name, profile_dispose, context)
        return {}
    result = {n: [] for n, _ in RUNS}
    for i in range(REPEAT):
        for run in ['credit', 'mixed']:
            result[run].append(in_transaction(
                    name, lambda: dispose(f'{run} {i}', run), context))
        result['peer'].append(in_transaction(
                name, lambda: peer(f'peer {i}'), context))
    return result


def check_disposed(application, run):
    "Raise unless application is done with its credit note and shipment"
    assert application.state == 'done', application.state
    credit_note, = application.credit_notes
    assert len(credit_note.lines) == LINES
    amount = LINES * 8 * (3 if run == 'credit' else 1)
    assert credit_note.untaxed_amount == -amount, credit_note.untaxed_amount
    shipments = application.replacement_shipments
    if run == 'mixed':
        shipment, = shipments
        assert len(shipment.outgoing_moves) == LINES
    else:
        assert not shipments


def check_credited(complaint):
    "Raise unless the complaint is done with a credit note of every line"
    assert complaint.state == 'done', complaint.state
    action, = complaint.actions
    credit_note = action.result
    assert credit_note.untaxed_amount == -LINES * 3 * 8, (
        credit_note.untaxed_amount)


# --- the parent process ----------------------------------------------------

def bench(backend, options):
    "Measure our runs and the peer on backend; return the results"
    with Runner(__file__, 'disposal', backend) as child:
        setup = child.set_up(f"documents of {LINES:,} lines created")
        runs = child.profile_and_run(setup, options)
    result = {'activation_s': setup['activation_s']}
    for name, measures in runs.items():
        result[name] = {**timings(measures, runs['peer']),
            'queries': measures[0]['queries']}
    return result


def print_table(results):
    print_table_head(f"disposal of {LINES:,} return lines against "
        f"sale_complaint crediting {LINES:,} invoice lines, {REPEAT} run(s) "
        "each: median time, queries, ratio to the peer", results, 24, 30)
    for name, label in RUNS:
        print(f"{label:<24}" + ''.join(
                f"{r[name]['time_s']:>11.2f} s{r[name]['queries']:>9} q"
                f"{r[name]['ratio']:>7.3f}x" for r in results.values()))
    print(f"goal: all credited <= {GOAL_RATIO}x the peer")


def benchmark(args):
    results = bench_backends(bench, args, BACKENDS)
    print_table(results)
    write_results(RESULTS, {'lines': LINES, 'repeat': REPEAT,
            'goals': {'ratio': GOAL_RATIO}, 'backends': results})


if __name__ == '__main__':
    main(benchmark, set_up,
        lambda step, args: run(json.loads(args[0]), step == '_profile'))
