"""Benchmark: the settlement of rebates and repair-fee compensation of
1,000 repair points in one period, against the same of 10 points (the
baseline, measured in the same run)

Each point's party has a rebate agreement (with a tier) and a decided
compensation scheme (per period and per repair), and its point did
REPAIRS free repairs in the period, inserted with SQL. Settlement.compute
then Settlement.settle (one credit note per party) run for 10 points in
one company and for 1,000 in another. The query counts of both sizes must
be equal; the table gives the time per point.

PostgreSQL first (TRYTOND_DATABASE_URI or the local server), then SQLite
(in a file). Writes bench/results/settlement.json. Options: --backend
postgresql|sqlite, --profile (cProfile of the 1,000 points' runs). DB_CACHE,
as for the tests, makes the module's activation quick.
"""
import datetime as dt
import json
import os
import time
from decimal import Decimal

from common import (
    Runner, activate, bench_backends, main, measure, placeholder,
    print_table_head, profiled, start_pool, write_results)

SIZES = [10, 1_000]
REPAIRS = 5
ADMIN = 1  # the user proposing the points and their compensation
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
RESULTS = os.path.join(
    os.path.dirname(__file__), 'results', 'settlement.json')


# --- the child process, run with the backend's environment -----------------

def set_up():
    "Create one company per size with its points; return their ids"
    from trytond.modules.account.tests import create_chart
    from trytond.modules.aftersales_repair_network.tests.test_module import (
        create_product_of, create_revenue_category)
    from trytond.modules.aftersales_warranty.tests.tools import (
        in_transaction)
    from trytond.modules.company.tests import create_company, set_company
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME

    activated = activate(['aftersales_repair_network'])
    start = time.perf_counter()

    def create():
        pool = Pool()
        Account = pool.get('account.account')
        Category = pool.get('product.category')
        Configuration = pool.get('aftersales.configuration')
        companies = {}
        # the first company's run warms the caches
        for key, size in [('warm-up', SIZES[0])] + [(s, s) for s in SIZES]:
            company = create_company(name=f"Lamps {key}")
            with set_company(company):
                create_chart(company)
                configuration = Configuration(1)
                if not configuration.rebate_product:
                    category = create_revenue_category()
                    Configuration.write([configuration], {
                            'rebate_product': create_product_of(
                                "Rebate", 'service', 0, category).id,
                            'compensation_product': create_product_of(
                                "Compensation", 'service', 0, category).id,
                            })
                else:
                    # the category's revenue account of this company
                    category = (
                        configuration.rebate_product.template.account_category)
                    Category.write([category], {
                            'account_revenue': Account.search([
                                    ('type.revenue', '=', True),
                                    ('closed', '!=', True),
                                    ('company', '=', company.id),
                                    ], limit=1)[0].id})
                create_points(company, size)
            companies[key] = company.id
        return companies
    companies = in_transaction(DB_NAME, create)
    return {'companies': companies, 'activation_s': activated,
        'data_s': time.perf_counter() - start}


def create_points(company, count):
    """Create count repair points, each of its party, with a rebate, a
    decided compensation scheme and REPAIRS free repairs done in the
    period"""
    from trytond.pool import Pool
    from trytond.tools import grouped_slice
    from trytond.transaction import Transaction
    pool = Pool()
    Compensation = pool.get('aftersales.repair.compensation')
    Configuration = pool.get('aftersales.configuration')
    Party = pool.get('party.party')
    Point = pool.get('aftersales.repair.point')
    Rebate = pool.get('aftersales.repair.rebate')
    Scale = pool.get('aftersales.repair.scale')
    office, = Party.create([{
                'name': f"Office {company.id}",
                'aftersales_role': 'branch_office'}])
    stores = Party.create([{
                'name': f"Store {company.id}-{i}",
                'aftersales_role': 'franchise_store',
                'upstream': office.id,
                'addresses': [('create', [{}])]} for i in range(count)])
    scale, = Scale.create([{
                'name': "Small", 'company': company.id, 'minimum_sales': 0}])
    # in slices: validating a thousand points at once makes a query
    # deeper than SQLite takes
    points = []
    for sub_stores in grouped_slice(stores, 100):
        points.extend(Point.create([{
                        'company': company.id, 'party': store.id,
                        'office': office.id,
                        'address': store.addresses[0].id,
                        'market': "Lighting Market", 'annual_sales': 0,
                        'scale': scale.id, 'proposed_by': ADMIN,
                        'application_date': START}
                    for store in sub_stores]))
    Rebate.create([{
                'company': company.id, 'party': store.id,
                'start_date': START, 'rate': Decimal('0.02'),
                'tiers': [('create', [{
                                'threshold': Decimal(100_000),
                                'rate': Decimal('0.03')}])],
                } for store in stores])
    schemes = Compensation.create([{
                'company': company.id, 'point': point.id,
                'start_date': START, 'amount_per_repair': Decimal(20),
                'amount_per_period': Decimal(100), 'proposed_by': ADMIN}
            for point in points])
    Compensation.decide(schemes)
    product = Configuration(1).compensation_product
    cursor = Transaction().connection.cursor()
    now = dt.datetime.now().isoformat(sep=' ')
    p = placeholder()
    cursor.executemany(
        'INSERT INTO "aftersales_repair_order" (company, point, number, '
        'date, customer, product, proof_of_purchase, purchase_date, '
        'state, free, done_date, create_uid, create_date) '
        f'VALUES ({", ".join([p] * 13)})',
        [(company.id, point.id, f"B{point.id}-{k}", START, point.party.id,
                product.id, "R", START, 'done', True,
                START + dt.timedelta(days=k), 0, now)
            for point in points for k in range(REPAIRS)])


def run(setup, profile=False):
    """Compute and settle a settlement of the period in each company;
    roll back"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    name = start_pool()
    result = {}
    with Transaction().start(name, 0) as transaction:
        Settlement = Pool().get('aftersales.repair.settlement')
        for key, size in [('warm-up', SIZES[0])] + [(s, s) for s in SIZES]:
            company_id = setup['companies'][str(key)]
            with transaction.set_context(
                    company=company_id, language='en'):
                settlement, = Settlement.create([{
                            'company': company_id, 'start_date': START,
                            'end_date': END, 'date': END}])
                measures = {}
                for method in ['compute', 'settle']:
                    function = getattr(Settlement, method)
                    records = Settlement.browse([settlement.id])
                    if profile and size == SIZES[-1]:
                        (_, stats), measures[method] = measure(
                            profiled, function, records)
                        stats.sort_stats('cumulative').print_stats(
                            'aftersales|modelsql|modelstorage', 25)
                        continue
                    try:
                        _, measures[method] = measure(function, records)
                    except Exception as exception:
                        # SQLite refuses the validation of a thousand
                        # credit notes at once
                        measures[method] = {'error': repr(exception)[:100]}
                        break
                result[key] = measures
                if any('error' in m for m in measures.values()):
                    continue
                settlement = Settlement(settlement.id)
                assert settlement.state == 'done', settlement.state
                assert len(settlement.lines) == size, len(settlement.lines)
                total = size * (100 + 20 * REPAIRS)
                assert settlement.total_amount == total, (
                    settlement.total_amount)
        transaction.rollback()
    del result['warm-up']
    return result


# --- the parent process ----------------------------------------------------

def bench(backend, options):
    "Measure both sizes on backend; return the results"
    with Runner(__file__, 'settlement', backend) as child:
        setup = child.set_up(f"{SIZES[0] + sum(SIZES):,} points created")
        runs = child.profile_and_run(setup, options)
    result = {'activation_s': setup['activation_s'],
        'data_s': setup['data_s']}
    for size, measures in runs.items():
        for method, figures in measures.items():
            if 'time_s' in figures:
                figures['ms_per_point'] = (
                    figures['time_s'] / int(size) * 1000)
        result[size] = measures
    first, last = (str(s) for s in SIZES)
    result['same_queries'] = {
        m: runs[first][m].get('queries') == runs[last].get(m, {}).get(
            'queries', -1)
        for m in runs[first]}
    return result


def print_table(results):
    print_table_head(f"settlement of rebates and compensation, {REPAIRS} "
        "free repairs a point: time, queries and time per point",
        results, 22, 36)
    def cell(measure):
        if 'error' in measure:
            return f"{'fails: ' + measure['error'][:28]:>36}"
        return (f"{measure['time_s']:>10.2f} s{measure['queries']:>8} q"
            f"{measure['ms_per_point']:>10.2f} ms/pt")
    for size in SIZES:
        for method in ['compute', 'settle']:
            label = f"{size:,} points, {method}"
            print(f"{label:<22}" + ''.join(
                    cell(r[str(size)][method]) for r in results.values()))
    for method in ['compute', 'settle']:
        print(f"{'same queries, ' + method:<22}" + ''.join(
                f"{'yes' if r['same_queries'][method] else 'NO':>36}"
                for r in results.values()))
    print(f"goal: the same queries for {SIZES[0]} and {SIZES[-1]:,} points")


def benchmark(args):
    results = bench_backends(bench, args)
    print_table(results)
    write_results(RESULTS, {'sizes': SIZES, 'repairs': REPAIRS,
            'backends': results})


if __name__ == '__main__':
    main(benchmark, set_up,
        lambda step, args: run(json.loads(args[0]), step == '_profile'))
