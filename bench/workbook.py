"""Benchmark: the monthly management workbook over 200,000 cost lines,
against hand-written SQL plus xlsxwriter writing the same cells (the
baseline, measured in the same run)

One company, one month, 200,000 cost lines over 300 offices, 20 product
categories and every kind, inserted in bulk with SQL. Each measured run
is a fresh process, so that its peak memory is its own: its time and its
peak RSS (ru_maxrss, pool and libraries included) are printed with the RSS
it had before the run. Rows: our Workbook.generate, the same over a month
without lines (the other sheets and the fixed costs), and the baseline,
which writes only the cost ledger sheet: the other sheets read tables that
are empty here. The cells of both ledger sheets are compared once.

PostgreSQL first (TRYTOND_DATABASE_URI or the local server), then SQLite
(in a file). Writes bench/results/workbook.json. Options: --backend
postgresql|sqlite, --profile (cProfile of our run, top entries printed).
REPEAT (5 by default) runs of each, alternated; the median and the best
times are kept, and the ratios of both (on shared cores, the best is the
least disturbed by the other processes). DB_CACHE,
as for the tests, makes the module's activation quick.
"""
import datetime as dt
import os
import random
import resource
import tempfile
import time
from decimal import Decimal

from common import (
    Runner, activate, bench_backends, main, placeholder, print_table_head,
    profiled, start_pool, timings, write_results)

LINES = 200_000
OFFICES = 300
CATEGORIES = 20
START, END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
EMPTY_START, EMPTY_END = dt.date(2026, 9, 1), dt.date(2026, 9, 30)
BATCH = 10_000
REPEAT = int(os.environ.get('REPEAT', 5))
GOAL_RATIO = 1.5
GOAL_MB = 300
RESULTS = os.path.join(os.path.dirname(__file__), 'results', 'workbook.json')
# The labels of the kinds and the columns (title, width, number format),
# written by hand for the baseline as the workbook writes them in English
KINDS = {
    'labour': "Labour",
    'parts': "Replacement Goods",
    'freight': "Freight",
    'compensation': "Compensation",
    'free_parts': "Parts Free in Warranty",
    'audit': "Audit",
    }
HEADERS = [
    ("Office", 24, None), ("Product Category", 24, None),
    ("Kind", 24, None), ("Month", 14, 'yyyy-mm-dd'),
    ("Amount", 14, '#,##0.00')]


def rss_mb():
    "Return the current resident set size in MB"
    with open('/proc/self/statm') as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf('SC_PAGE_SIZE') / 2 ** 20


def peak_mb():
    "Return the peak resident set size of this process in MB"
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- child processes, run with the backend's environment -------------------

def set_up():
    "Create the database with its data; return the company and the timings"
    from trytond.modules.company.tests import create_company
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction

    activated = activate(['aftersales_audit'])
    with Transaction().start(DB_NAME, 0) as transaction:
        Period = Pool().get('aftersales.cost.period')
        company = create_company()
        period, = Period.create([{
                    'company': company.id, 'name': "Benchmark",
                    'start_date': EMPTY_START, 'end_date': END}])
        start = time.perf_counter()
        insert_data(transaction.connection.cursor(), company.id, period.id)
        transaction.commit()
        data = time.perf_counter() - start
    return {'company': company.id, 'activation_s': activated,
        'data_s': data}


def insert_data(cursor, company_id, period_id):
    "Insert the offices, the categories and the cost lines in bulk"
    from sql import Table
    party, category = Table('party_party'), Table('product_category')
    line = Table('aftersales_cost_line')
    now = dt.datetime.now()
    execute_many(cursor, party, [party.name, party.code, party.active,
            party.create_uid, party.create_date],
        [("Office %03d" % i, "BENCH%03d" % i, True, 0, now)
            for i in range(OFFICES)])
    execute_many(cursor, category, [category.name, category.create_uid,
            category.create_date],
        [("Category %02d" % i, 0, now) for i in range(CATEGORIES)])
    cursor.execute(*party.select(party.id,
            where=party.code.like('BENCH%'), order_by=party.id))
    offices = [i for i, in cursor] + [None]  # a few lines of no office
    cursor.execute(*category.select(category.id,
            where=category.name.like('Category %'), order_by=category.id))
    categories = [i for i, in cursor] + [None]
    kinds = list(KINDS)
    rng = random.Random(12)
    rows = []
    for i in range(LINES):
        date = START + dt.timedelta(days=rng.randrange(31))
        # October 1st starts the month and the quarter
        rows.append((company_id, period_id, date, START, START,
                kinds[i % len(kinds)],
                Decimal(rng.randrange(100, 100_000)) / 100,
                rng.choice(offices), rng.choice(categories), 0, now))
        if len(rows) == BATCH:
            insert_lines(cursor, line, rows)
            rows = []
    insert_lines(cursor, line, rows)


def insert_lines(cursor, line, rows):
    execute_many(cursor, line, [line.company, line.period, line.date,
            line.month, line.quarter, line.kind, line.amount, line.office,
            line.category, line.create_uid, line.create_date], rows)


def execute_many(cursor, table, columns, rows):
    "Insert rows by one statement executed many times"
    p = placeholder()
    cursor.executemany(
        f'INSERT INTO "{table._name}" (%s) VALUES (%s)' % (
            ', '.join(f'"{c.name}"' for c in columns),
            ', '.join([p] * len(columns))),
        rows)


def ours(company_id, start, end, output=None, profile=False):
    "Generate the workbook through the ORM; roll back"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    name = start_pool()
    with Transaction().start(name, 0, context={'company': company_id}):
        pool = Pool()
        Company = pool.get('company.company')
        Workbook = pool.get('aftersales.report.workbook')
        company = Company(company_id)
        before = rss_mb()
        started = time.perf_counter()
        if profile:
            workbook, stats = profiled(Workbook.generate, company, start, end)
            stats.sort_stats('tottime').print_stats(15)
            stats.sort_stats('cumulative').print_stats('aftersales', 15)
            stats.print_callers('execute')
        else:
            workbook = Workbook.generate(company, start, end)
        elapsed = time.perf_counter() - started
        peak = peak_mb()
        if output:
            with open(output, 'wb') as file:
                file.write(workbook.file)
    return {'time_s': elapsed, 'peak_mb': peak, 'before_mb': before}


def baseline(company_id, start, end, output=None):
    """Read the cost ledger sheet by hand-written SQL and write it with
    xlsxwriter in the same cells and formats"""
    import xlsxwriter
    from trytond import backend
    database = backend.Database(os.environ['DB_NAME']).connect()
    connection = database.get_connection()
    before = rss_mb()
    started = time.perf_counter()
    cursor = connection.cursor()
    p = placeholder()
    cursor.execute(
        'SELECT p.name, c.name, l.kind, l.month, SUM(l.amount) '
        'FROM aftersales_cost_line AS l '
        'LEFT JOIN party_party AS p ON l.office = p.id '
        'LEFT JOIN product_category AS c ON l.category = c.id '
        f'WHERE l.company = {p} AND l.date >= {p} AND l.date <= {p} '
        'GROUP BY p.name, c.name, l.category, l.kind, l.month '
        'ORDER BY p.name NULLS FIRST, c.name NULLS FIRST, l.kind, l.month',
        (company_id, start, end))
    with tempfile.NamedTemporaryFile(suffix='.xlsx') as file:
        book = xlsxwriter.Workbook(file.name, {'constant_memory': True})
        header = book.add_format({'bold': True, 'bottom': 1})
        formats = [book.add_format({'num_format': f} if f else {})
            for _, _, f in HEADERS]
        sheet = book.add_worksheet("After-Sales Costs")
        sheet.freeze_panes(1, 0)
        for col, (title, width, _) in enumerate(HEADERS):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, header)
        text, _, _, month, amount = formats
        for row, (office, category, kind, date, total) in enumerate(
                cursor, 1):
            sheet.write_string(row, 0, office or '', text)
            sheet.write_string(row, 1, category or '', text)
            sheet.write_string(row, 2, KINDS[kind], text)
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            sheet.write_datetime(row, 3, date, month)
            sheet.write_number(row, 4, float(total), amount)
        book.close()
        data = file.read()
    elapsed = time.perf_counter() - started
    peak = peak_mb()
    if output:
        with open(output, 'wb') as out:
            out.write(data)
    connection.rollback()
    database.put_connection(connection)
    return {'time_s': elapsed, 'peak_mb': peak, 'before_mb': before}


# --- the parent process ----------------------------------------------------

def same_cells(ours_file, baseline_file):
    "Return the count of rows of the ledger sheets if their cells are equal"
    import openpyxl
    sheets = []
    for name in [ours_file, baseline_file]:
        book = openpyxl.load_workbook(name, read_only=True)
        sheets.append(list(book.worksheets[0].iter_rows(values_only=True)))
        book.close()
    if sheets[0] != sheets[1]:
        raise AssertionError("the ledger sheets differ")
    return len(sheets[0]) - 1


def bench(backend, options):
    "Measure our run and the baseline on backend; return the results"
    with Runner(__file__, 'workbook', backend) as child:
        setup = child.set_up(f"{LINES:,} lines, {OFFICES} offices, "
            f"{CATEGORIES} categories inserted")
        company = setup['company']
        ours_file = os.path.join(child.directory, 'ours.xlsx')
        baseline_file = os.path.join(child.directory, 'baseline.xlsx')
        runs = {'ours': [], 'empty month': [], 'baseline': []}
        for i in range(REPEAT):
            # alternate the runs so that both meet the same noise
            runs['baseline'].append(child('_baseline', company,
                    START, END, baseline_file if not i else ''))
            runs['ours'].append(child('_ours', company, START, END,
                    ours_file if not i else ''))
            runs['empty month'].append(child('_ours', company,
                    EMPTY_START, EMPTY_END, ''))
        rows = same_cells(ours_file, baseline_file)
        if '--profile' in options:
            child('_profile', company, START, END, '')
    result = {'activation_s': setup['activation_s'],
        'data_s': setup['data_s'], 'sheet_rows': rows}
    for name, measures in runs.items():
        result[name] = {**timings(measures, runs['baseline']),
            'peak_mb': max(r['peak_mb'] for r in measures),
            'before_mb': max(r['before_mb'] for r in measures),
            }
    return result


def print_table(results):
    print_table_head(f"workbook of {LINES:,} cost lines, {REPEAT} runs each: "
        "median time and ratio, best time and ratio; peak = ru_maxrss of the "
        "run's own process, before = its RSS when the run started",
        results, 12, 48)
    print(f"{'':<12}" + ''.join(
            f"{'median':>10}{'ratio':>7}{'best':>9}{'ratio':>7}"
            f"{'peak MB':>8}{'before':>7}" for _ in results))
    for name in ['ours', 'empty month', 'baseline']:
        print(f"{name:<12}" + ''.join(
                f"{r[name]['time_s']:>8.2f} s{r[name]['ratio']:>6.2f}x"
                f"{r[name]['best_s']:>7.2f} s{r[name]['best_ratio']:>6.2f}x"
                f"{r[name]['peak_mb']:>8.0f}{r[name]['before_mb']:>7.0f}"
                for r in results.values()))
    print("ledger sheet rows: " + ', '.join(
            f"{b} {r['sheet_rows']:,}" for b, r in results.items())
        + f" (the same cells in both files); goals: ratio <= {GOAL_RATIO}x,"
        f" peak <= {GOAL_MB} MB")


def benchmark(args):
    results = bench_backends(bench, args)
    print_table(results)
    write_results(RESULTS, {'lines': LINES, 'offices': OFFICES,
            'categories': CATEGORIES, 'repeat': REPEAT,
            'goals': {'ratio': GOAL_RATIO, 'peak_mb': GOAL_MB},
            'backends': results})


def run(step, args):
    "Run our generation or the baseline (step) in this process"
    company, start, end, output = args
    start, end = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if step == '_baseline':
        return baseline(int(company), start, end, output)
    return ours(int(company), start, end, output, profile=step == '_profile')


if __name__ == '__main__':
    main(benchmark, set_up, run)
