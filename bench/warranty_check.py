"""Benchmark: the warranty check of 10,000 claims in one Policy.check batch
over 1,000,000 registrations, against a hand-written indexed SQL query
giving the same answers (the baseline, measured in the same run)

The registrations (half of them with a date-coded lot) are inserted in
bulk with SQL: generate_series on PostgreSQL, a recursive CTE on SQLite.
Their products are lamps of a policy exchanging the whole unit (12 months
from purchase for consumers, 15 from manufacture for dealers) and
fixtures of a policy covering components (ballast, tube, housing; the
plastic parts not). The claims are spread over the registrations,
consumers and dealers in turn, some in warranty and some expired.

The baseline reads each claim's registration, its lot's date code, its
product's policy and the policies' coverage in SQL, then computes the end
dates in Python (SQLite has no month arithmetic that clamps to the month's
end). Both give, per claim, (component, covered, until, referred): every
answer is compared.

Prints, per backend, the time to insert the data, the median and best of
REPEAT (3) alternated runs of both, their ratio and their query counts,
and the query count of a batch of 1,000 claims. PostgreSQL first
(TRYTOND_DATABASE_URI or the local server), then SQLite (in a file).
Writes bench/results/warranty_check.json. Options: --backend
postgresql|sqlite, --profile (cProfile of one batch, top entries printed),
--explain (the plans of the batch's queries on the big tables).
DB_CACHE, as for the tests, makes the module's activation quick.
"""
import datetime as dt
import json
import os
import time
from decimal import Decimal

from common import (
    Runner, activate, bench_backends, clear_caches, main, measure,
    print_table_head, profiled, start_pool, timings, write_results)

REGISTRATIONS = int(os.environ.get('REGISTRATIONS', 1_000_000))
CLAIMS = 10_000
FEW_CLAIMS = 1_000
PRODUCTS = 100  # of each policy
REPEAT = int(os.environ.get('REPEAT', 3))
GOAL_RATIO = 3
GOAL_DATA_S = 120
FIRST_PURCHASE = dt.date(2024, 3, 1)
RESULTS = os.path.join(
    os.path.dirname(__file__), 'results', 'warranty_check.json')

# Registration number i (1-based): its product is lamp i % PRODUCTS when i
# is even, with lot i; fixture i % PRODUCTS otherwise, without lot. It was
# bought FIRST_PURCHASE + i % 700 days, delivered i % 5 days later, made
# i % 60 days before its purchase.
SQL_DATA = {
    'postgresql': {
        'series': 'generate_series(1, %(count)s) AS s(i)',
        'day': "DATE '%(first)s' + (s.i %% 700)",
        'made': "DATE '%(first)s' + (s.i %% 700) - (s.i %% 60)",
        'code': "to_char(DATE '%(first)s' + (s.i %% 700) - (s.i %% 60), "
        "'YYMMDD')",
        'delivered': "DATE '%(first)s' + (s.i %% 700) + (s.i %% 5)",
        'text': "'%(prefix)s' || s.i",
        },
    'sqlite': {
        'series': 's',
        'with': 'WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL '
        'SELECT i + 1 FROM s WHERE i < %(count)s) ',
        'day': "date('%(first)s', '+' || (s.i %% 700) || ' days')",
        'made': "date('%(first)s', '+' || (s.i %% 700 - s.i %% 60) "
        "|| ' days')",
        'code': "substr(strftime('%%Y%%m%%d', '%(first)s', "
        "'+' || (s.i %% 700 - s.i %% 60) || ' days'), 3)",
        'delivered': "date('%(first)s', '+' || (s.i %% 700 + s.i %% 5) "
        "|| ' days')",
        'text': "'%(prefix)s' || s.i",
        },
    }
# The lot's date code read as a date, as the YYMMDD format reads it
SQL_DATE_CODE = {
    'postgresql': "to_date(l.date_code, 'YYMMDD')",
    'sqlite': "'20' || substr(l.date_code, 1, 2) || '-' "
    "|| substr(l.date_code, 3, 2) || '-' || substr(l.date_code, 5, 2)",
    }
# The registrations of the claims: one parameter, so one query for any
# number of claims
SQL_IDS = {
    'postgresql': 'r.id = ANY(%s)',
    'sqlite': 'r.id IN (SELECT value FROM json_each(?))',
    }


# --- child processes, run with the backend's environment -------------------

def set_up():
    "Create the database and its data; return the ids the runs need"
    from trytond import backend
    from trytond.modules.company.tests import create_company
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction

    activated = activate(['aftersales_warranty'])
    with Transaction().start(DB_NAME, 0) as transaction:
        company = create_company()
        lamps, fixtures = create_products()
        customer = create_customer()
        transaction.commit()
        start = time.perf_counter()
        insert_data(transaction.connection.cursor(), backend.name,
            company.id, customer.id, lamps, fixtures)
        transaction.commit()
        data = time.perf_counter() - start
    return {'company': company.id, 'activation_s': activated,
        'data_s': data}


def create_products():
    "Create the policies, their categories and products; return the ids"
    from trytond.pool import Pool
    pool = Pool()
    Category = pool.get('product.category')
    Component = pool.get('aftersales.warranty.component')
    Policy = pool.get('aftersales.warranty.policy')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    component = {c.code: c.id for c in Component.search([])}
    lamp_policy, fixture_policy = Policy.create([{
                'name': "Lamp",
                'consumer_months': 12,
                'dealer_months': 15,
                'repair_fee_rate': Decimal('0.10'),
                'lines': [('create', [
                            {'component': component['unit'], 'months': 12},
                            ])],
                }, {
                'name': "Fixture",
                'repair_fee_rate': Decimal('0.10'),
                'lines': [('create', [
                            {'component': component['ballast'],
                                'months': 24},
                            {'component': component['tube'], 'months': 12},
                            {'component': component['housing'],
                                'months': 36, 'basis': 'delivery'},
                            {'component': component['plastic'],
                                'covered': False},
                            ])],
                }])
    lamps, fixtures = Category.create([{
                'name': "Lamps",
                'warranty_policy': lamp_policy.id,
                'date_code_format': 'YYMMDD',
                'date_code_start': dt.date(2020, 1, 1),
                }, {
                'name': "Fixtures",
                'warranty_policy': fixture_policy.id,
                }])
    unit, = Uom.search([('name', '=', 'Unit')])
    products = []
    for category in [lamps, fixtures]:
        templates = Template.create([{
                    'name': f"{category.name} {i}",
                    'type': 'goods',
                    'default_uom': unit.id,
                    'categories': [('add', [category.id])],
                    'products': [('create', [{}])],
                    } for i in range(PRODUCTS)])
        products.append([t.products[0].id for t in templates])
    return products


def create_customer():
    from trytond.pool import Pool
    Party = Pool().get('party.party')
    customer, = Party.create([{'name': "Store"}])
    return customer


def insert_data(cursor, backend_name, company_id, customer_id, lamps,
        fixtures):
    """Insert the lots and the registrations in bulk, with ids following
    the largest, then move the PostgreSQL sequences past them"""
    sql = SQL_DATA[backend_name]
    now = dt.datetime.now().isoformat(sep=' ')
    ids = {}
    for table in ['stock_lot', 'aftersales_warranty_registration']:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        ids[table], = cursor.fetchone()
    values = {'count': REGISTRATIONS, 'first': FIRST_PURCHASE}

    def expression(name, **extra):
        return sql[name] % dict(values, **extra)
    with_ = sql.get('with', '') % values
    series = sql['series'] % values
    lamp = product_case(lamps, 's.i')
    fixture = product_case(fixtures, 's.i')
    cursor.execute(
        f'{with_}INSERT INTO "stock_lot" (id, number, product, date_code, '
        'active, create_uid, create_date) '
        f'SELECT {ids["stock_lot"]} + s.i / 2, '
        f'{expression("text", prefix="L")}, {lamp}, {expression("code")}, '
        f"TRUE, 0, '{now}' "
        f'FROM {series} WHERE s.i % 2 = 0')
    cursor.execute(
        f'{with_}INSERT INTO "aftersales_warranty_registration" '
        '(id, company, number, source, customer, product, lot, quantity, '
        'returned_quantity, proof_of_purchase, purchase_date, '
        'delivery_date, ex_factory_date, state, create_uid, create_date) '
        f'SELECT {ids["aftersales_warranty_registration"]} + s.i, '
        f'{company_id}, {expression("text", prefix="WR")}, '
        f"'manual', {customer_id}, "
        f'CASE WHEN s.i % 2 = 0 THEN {lamp} ELSE {fixture} END, '
        f'CASE WHEN s.i % 2 = 0 THEN {ids["stock_lot"]} + s.i / 2 END, '
        f'1, 0, {expression("text", prefix="R")}, '
        f'{expression("day")}, {expression("delivered")}, '
        f'CASE WHEN s.i % 2 = 0 THEN {expression("made")} END, '
        f"'active', 0, '{now}' "
        f'FROM {series}')
    if backend_name == 'postgresql':
        for table in ids:
            cursor.execute(
                f"SELECT setval('{table}_id_seq', "
                f'(SELECT MAX(id) FROM "{table}"))')
        cursor.execute('ANALYZE')


def product_case(products, index):
    "Return the SQL choosing products[index % len(products)]"
    return 'CASE %s %% %s %s END' % (index, len(products), ' '.join(
            f'WHEN {i} THEN {p}' for i, p in enumerate(products)))


def claim_ids(cursor, count):
    """Return the ids of count registrations spread over all of them, a
    fixture's and a lamp's in turn"""
    cursor.execute('SELECT MIN(id), MAX(id) FROM '
        '"aftersales_warranty_registration" WHERE number LIKE \'WR%\'')
    first, last = cursor.fetchone()
    step = (last - first) // count
    return [first + k * step + k % 2 for k in range(count)]


def claims_of(ids):
    """Return the claims of the registrations ids: consumers and dealers
    in turn, claiming from 0 to about 3 years after the purchase"""
    from trytond.modules.aftersales_warranty.claim import Claim
    from trytond.pool import Pool
    Registration = Pool().get('aftersales.warranty.registration')
    claims = []
    for k, id_ in enumerate(ids):
        i = id_ - ids[0] + 1
        purchase = FIRST_PURCHASE + dt.timedelta(days=i % 700)
        claims.append(Claim(
                claim_date=purchase + dt.timedelta(days=k * 37 % 1100),
                claimant='dealer' if k % 4 >= 2 else 'consumer',
                registration=Registration(id_)))
    return claims


def summary(answers):
    "Return the answers as (component id, covered, until, referred)"
    return [(a.component.id if a.component else None, a.covered,
            a.until, a.referred) for a in answers]


def run(company_id, command):
    """Run ours or the baseline on the claims, or the profile or the plans;
    roll back"""
    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    name = start_pool()
    # The language in the context, as the clients send it
    context = {'company': company_id, 'language': 'en'}
    with Transaction().start(name, 0, context=context) as t:
        Policy = Pool().get('aftersales.warranty.policy')
        cursor = t.connection.cursor()
        ids = claim_ids(cursor, CLAIMS)
        if command == '_baseline':
            # warm the connection as ours is warmed
            baseline(cursor, backend.name, ids[:10])
            answers, result = measure(baseline, cursor, backend.name, ids)
            result['answers'] = answers
        elif command == '_ours':
            Policy.check(claims_of(ids[:FEW_CLAIMS]))  # warm the caches
            few = measure(Policy.check, claims_of(ids[:FEW_CLAIMS]))[1]
            results, result = measure(Policy.check, claims_of(ids))
            result['few_queries'] = few['queries']
            result['answers'] = [summary(a) for a in results]
        elif command == '_profile':
            Policy.check(claims_of(ids[:10]))
            claims = claims_of(ids)
            clear_caches()
            _, stats = profiled(Policy.check, claims)
            stats.sort_stats('tottime').print_stats(20)
            stats.sort_stats('cumulative').print_stats(25)
            result = {}
        else:
            result = {'plans': explain(cursor, backend.name, Policy, ids)}
        t.rollback()
    return result


def baseline(cursor, backend_name, ids):
    """Answer the claims of registrations ids by hand-written SQL, the end
    dates computed in Python; return the summaries as ours gives them"""
    from trytond.modules.aftersales_warranty.dates import add_months
    cursor.execute(
        'SELECT id, consumer_months, consumer_basis, dealer_months, '
        'dealer_basis FROM "aftersales_warranty_policy"')
    policies = {r[0]: r[1:] for r in cursor}
    lines = {p: [] for p in policies}
    cursor.execute(
        'SELECT policy, component, covered, months, basis '
        'FROM "aftersales_warranty_policy_line" '
        'ORDER BY policy, sequence IS NULL, sequence, id')
    for policy, *line in cursor:
        lines[policy].append(line)
    parameter = (ids if backend_name == 'postgresql'
        else json.dumps(ids))
    cursor.execute(
        'SELECT r.id, r.purchase_date, r.delivery_date, '
        f'COALESCE({SQL_DATE_CODE[backend_name]}, r.ex_factory_date), '
        'COALESCE(t.warranty_policy, c.warranty_policy) '
        'FROM "aftersales_warranty_registration" AS r '
        'JOIN "product_product" AS p ON p.id = r.product '
        'JOIN "product_template" AS t ON t.id = p.template '
        'JOIN "product_template-product_category" AS tc '
        'ON tc.template = t.id '
        'JOIN "product_category" AS c ON c.id = tc.category '
        'LEFT JOIN "stock_lot" AS l ON l.id = r.lot '
        f'WHERE {SQL_IDS[backend_name]}', (parameter,))
    rows = {r[0]: r[1:] for r in cursor}
    result = []
    for k, claim in enumerate(claims_dates(ids)):
        purchase, delivery, made, policy = rows[ids[k]]
        dates = {'purchase': as_date(purchase), 'delivery': as_date(delivery),
            'manufacture': as_date(made)}
        consumer_months, consumer_basis, dealer_months, dealer_basis = (
            policies[policy])
        claim_date, claimant = claim
        if claimant == 'dealer' and dealer_months is not None:
            if not dates[dealer_basis]:
                result.append([(None, False, None, True)])
                continue
            until = add_months(dates[dealer_basis], dealer_months)
            result.append([(None, claim_date <= until, until, False)])
        elif consumer_months is not None:
            until = add_months(dates[consumer_basis], consumer_months)
            result.append([(None, claim_date <= until, until, False)])
        else:
            answers = []
            for component, covered, months, basis in lines[policy]:
                if not covered:
                    answers.append((component, False, None, False))
                    continue
                until = add_months(dates[basis], months)
                answers.append((component, claim_date <= until, until, False))
            result.append(answers)
    return result


def claims_dates(ids):
    "Return the (claim date, claimant) of the claims of registrations ids"
    for k, id_ in enumerate(ids):
        i = id_ - ids[0] + 1
        purchase = FIRST_PURCHASE + dt.timedelta(days=i % 700)
        yield (purchase + dt.timedelta(days=k * 37 % 1100),
            'dealer' if k % 4 >= 2 else 'consumer')


def as_date(value):
    "Return value as a date (SQLite returns text)"
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def explain(cursor, backend_name, Policy, ids):
    """Return the plans of the batch's queries that read the registrations
    and the lots"""
    from trytond.transaction import Transaction
    statements = []
    connection = Transaction().connection
    if backend_name == 'sqlite':
        connection.set_trace_callback(statements.append)
        try:
            Policy.check(claims_of(ids[:FEW_CLAIMS]))
        finally:
            connection.set_trace_callback(None)
    else:
        from unittest import mock
        from trytond.backend.postgresql.database import LoggingCursor
        execute = LoggingCursor.execute

        def logging(self, query, args=None):
            statements.append((query, args))
            return execute(self, query, args)
        with mock.patch.object(LoggingCursor, 'execute', logging):
            Policy.check(claims_of(ids[:FEW_CLAIMS]))
    plans = {}
    for statement in statements:
        statement, args = (statement, ()) if isinstance(statement, str) else (
            statement)
        if not statement.lstrip().upper().startswith('SELECT'):
            continue
        if not any(f'FROM "{t}"' in statement for t in [
                    'aftersales_warranty_registration', 'stock_lot']):
            continue
        prefix = ('EXPLAIN QUERY PLAN ' if backend_name == 'sqlite'
            else 'EXPLAIN ')
        cursor.execute(prefix + statement, args)
        # the plan's lines, without the list of ids
        plan = '\n'.join(str(r[-1])[:100] for r in cursor)
        plans.setdefault(statement[:100], plan)
    return plans


# --- the parent process ----------------------------------------------------

def bench(backend, options):
    "Measure ours and the baseline on backend; return the results"
    with Runner(__file__, 'warranty', backend) as child:
        setup = child.set_up(f"{REGISTRATIONS:,} registrations inserted")
        company = setup['company']
        runs = {'ours': [], 'baseline': []}
        for _ in range(REPEAT):
            # alternate the runs so that both meet the same noise
            runs['baseline'].append(child('_baseline', company))
            runs['ours'].append(child('_ours', company))
        agree = all(r['answers'] == runs['baseline'][0]['answers']
            for rs in runs.values() for r in rs)
        if '--profile' in options:
            child('_profile', company)
        plans = (child('_explain', company)['plans']
            if '--explain' in options else None)
    if plans:
        for statement, plan in plans.items():
            print(f"{statement}...\n    " + plan.replace('\n', '\n    '))
    covered = sum(a[1] for answers in runs['baseline'][0]['answers']
        for a in answers)
    answered = sum(len(a) for a in runs['baseline'][0]['answers'])
    result = {'activation_s': setup['activation_s'],
        'data_s': setup['data_s'], 'agree': agree,
        'answers': answered, 'covered': covered}
    for name, measures in runs.items():
        result[name] = {**timings(measures, runs['baseline']),
            'queries': measures[0]['queries']}
        result[name]['ms_per_claim'] = result[name]['time_s'] / CLAIMS * 1000
    result['ours']['queries_1000'] = runs['ours'][0]['few_queries']
    return result


def print_table(results):
    print_table_head(f"warranty check of {CLAIMS:,} claims in one batch "
        f"over {REGISTRATIONS:,} registrations, {REPEAT} runs each: median "
        "and best time and their ratio to the baseline; queries",
        results, 22, 40)
    print(f"{'':<22}" + ''.join(
            f"{'median':>10}{'ratio':>7}{'best':>9}{'ratio':>7}{'queries':>7}"
            for _ in results))
    for name, label in [('ours', "Policy.check"),
            ('baseline', "SQL baseline")]:
        print(f"{label:<22}" + ''.join(
                f"{r[name]['time_s']:>8.2f} s{r[name]['ratio']:>6.2f}x"
                f"{r[name]['best_s']:>7.2f} s{r[name]['best_ratio']:>6.2f}x"
                f"{r[name]['queries']:>7}"
                for r in results.values()))
    print(f"{'queries, 1,000 claims':<22}" + ''.join(
            f"{r['ours']['queries_1000']:>40}" for r in results.values()))
    print(f"{'data inserted':<22}" + ''.join(
            f"{r['data_s']:>38.1f} s" for r in results.values()))
    print(f"{'ms per claim':<22}" + ''.join(
            f"{r['ours']['ms_per_claim']:>37.3f} ms"
            for r in results.values()))
    print(f"{'answers agree':<22}" + ''.join(
            f"{'yes' if r['agree'] else 'NO':>22}, {r['answers']:,} "
            f"({r['covered']:,} covered)" for r in results.values()))
    print(f"goals: ratio <= {GOAL_RATIO}x, data <= {GOAL_DATA_S} s, "
        "queries not growing with the claims")


def benchmark(args):
    results = bench_backends(bench, args)
    print_table(results)
    write_results(RESULTS, {'registrations': REGISTRATIONS,
            'claims': CLAIMS, 'repeat': REPEAT,
            'goals': {'ratio': GOAL_RATIO, 'data_s': GOAL_DATA_S},
            'backends': results})


if __name__ == '__main__':
    main(benchmark, set_up, lambda step, args: run(int(args[0]), step))
