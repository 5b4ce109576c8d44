"""Benchmark: a JSON-RPC mix served by one server process, then by N

Each client thread repeats the mix of a customer-service manager's
session: log in, search the return applications, read one, run the warranty
check (the wizard's create, two executes and delete: one "check"). The
server is gunicorn serving trytond.application:app as `make
serve-postgresql` runs it (configuration from trytond-postgresql.conf), on
loopback: with 1 process (the baseline, measured in the same run), then
with N (WORKERS, by default the number of cores), ROUNDS times alternated
(2); the best round of each is kept (on shared cores, the least disturbed
by other processes). Prints, for each, requests per second and the p50 /
p95 of each call, the failures, the cores and the load average; writes
bench/results/production_load.json. Exits 1 when a request failed or N
processes served no more than one.

The database (the warranty and returns demo) is built on PostgreSQL
(TRYTOND_DATABASE_URI or the local server) under its own name and dropped
at the end; DB_CACHE, as for the tests, makes its build quick.
CLIENTS client threads (8), MIXES mixes each per round (6).
"""
import datetime as dt
import os
import statistics
import sys
import threading
import time

from common import (
    ROOT, WORKERS, machine, percentile, print_machine, server_config,
    use_database, write_results)

use_database('bench_production_load')
CLIENTS = int(os.environ.get('CLIENTS', 8))
MIXES = int(os.environ.get('MIXES', 6))
ROUNDS = int(os.environ.get('ROUNDS', 2))
LOGIN = 'service'
ADMIN_PASSWORD = 'admin-bench'
RESULTS = ROOT / 'bench' / 'results' / 'production_load.json'
CALLS = ['login', 'search', 'read', 'check']

from proteus import Model  # noqa: E402
from trytond.modules.aftersales_rma.tests import demo as rma_demo  # noqa: E402,E501
from trytond.modules.aftersales_warranty.tests import (  # noqa: E402
    demo as warranty_demo)
from trytond.modules.aftersales_warranty.tests.servers import (  # noqa: E402
    Session, check_warranty, gunicorn)
from trytond.tests.tools import activate_modules  # noqa: E402


def build_demo(config):
    "The warranty and returns demo"
    rma_demo.build(warranty_demo.build({}, config=config), config=config)


def prepare():
    """Build the database; return the ids of a CFL product and of the
    clerk's return applications"""
    activate_modules(['aftersales_rma'], build_demo)
    User = Model.get('res.user')
    Product = Model.get('product.product')
    admin = User(1)
    admin.password = ADMIN_PASSWORD
    admin.save()
    product, = Product.find([('code', '=', 'CFL-11')])
    return product.id


def mix(url, database, product, timings, failures):
    "One session of LOGIN: log in, search, read, check"
    def timed(name, function):
        start = time.perf_counter()
        try:
            result = function()
        except Exception as exception:
            failures.append(f'{name}: {exception!r}')
            return None
        timings[name].append(time.perf_counter() - start)
        return result

    session = timed('login', lambda: Session(
            url, database, LOGIN, warranty_demo.USER_PASSWORD))
    if session is None:
        return
    applications = 'aftersales.rma.application'
    ids = timed('search', lambda: session.model(
            applications, 'search', [], 0, 20, None))
    if ids:
        timed('read', lambda: session.model(
                applications, 'read', ids[:1],
                ['rec_name', 'state', 'date', 'sender', 'lines']))
    timed('check', lambda: check_warranty(
            session, product, dt.date.today() - dt.timedelta(days=180)))


def run(conf, database, product, workers):
    "Serve with workers processes, load them; return the figures"
    timings = {name: [] for name in CALLS}
    failures = []
    with open(conf.parent / f'gunicorn-{workers}.log', 'w') as log, \
            gunicorn(conf, database, workers=workers, log=log) as url:
        # one mix per process first: every process has its pool warm
        for _ in range(workers * 2):
            mix(url, database, product, {n: [] for n in CALLS}, [])
        threads = [threading.Thread(target=lambda: [
                    mix(url, database, product, timings, failures)
                    for _ in range(MIXES)])
            for _ in range(CLIENTS)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    # HTTP requests: login 1 (the preferences 1 more), search 1, read 1,
    # check 4
    requests = (2 * len(timings['login']) + len(timings['search'])
        + len(timings['read']) + 4 * len(timings['check']))
    return {
        'workers': workers,
        'seconds': round(elapsed, 3),
        'requests': requests,
        'requests_per_second': round(requests / elapsed, 1),
        'mixes_per_second': round(len(timings['check']) / elapsed, 2),
        'failures': failures,
        'calls': {name: {
                'count': len(values),
                'p50_ms': round(1000 * statistics.median(values), 1),
                'p95_ms': round(1000 * percentile(values, 95), 1),
                } for name, values in timings.items() if values},
        }


def print_table(runs):
    print(f"{'processes':>9} {'req/s':>7} {'mix/s':>6} "
        + ' '.join(f"{name + ' p50/p95 ms':>22}" for name in CALLS)
        + f" {'failed':>6}")
    for result in runs:
        calls = result['calls']
        print(f"{result['workers']:>9} {result['requests_per_second']:>7}"
            f" {result['mixes_per_second']:>6} "
            + ' '.join(f"{calls[n]['p50_ms']:>10} / {calls[n]['p95_ms']:>9}"
                if n in calls else f"{'-':>22}" for n in CALLS)
            + f" {len(result['failures']):>6}")


def main():
    print_machine(
        f"{CLIENTS} client threads x {MIXES} mixes; loopback")
    product = prepare()
    database = os.environ['DB_NAME']
    with server_config() as conf:
        rounds = [run(conf, database, product, workers)
            for _ in range(ROUNDS) for workers in [1, WORKERS]]
    runs = [max((r for r in rounds if r['workers'] == workers),
            key=lambda r: r['requests_per_second'])
        for workers in [1, WORKERS]]
    print_table(runs)
    ratio = runs[1]['requests_per_second'] / runs[0]['requests_per_second']
    print(f"{WORKERS} processes serve {ratio:.2f}x the requests of one")
    for result in rounds:
        for failure in result['failures'][:5]:
            print(f"failed ({result['workers']} processes): {failure}")
    write_results(RESULTS, {**machine(),
                'clients': CLIENTS,
                'mixes_per_client': MIXES,
                'login': LOGIN,
                'best': runs,
                'rounds': rounds,
                'ratio': round(ratio, 2),
                })
    failed = any(r['failures'] for r in rounds)
    return 1 if failed or ratio <= 1 else 0


if __name__ == '__main__':
    sys.exit(main())
