"""Benchmark: the portal's pages under 50 concurrent users

The demo's web users (the Guangzhou and Shenzhen stores, the Guangzhou and
Shanghai offices) log in USERS sessions in turn (50) on the portal served
as `make serve-postgresql` serves it: gunicorn running
trytond.application:app with WORKERS processes (by default the number of
cores), configured by trytond-postgresql.conf, on loopback. One user
alone, then USERS client threads at once, one a session, twice: pausing
between two requests, then without pause. Each user repeats ROUNDS times
(10): the warranty look-up of a CFL lamp by its lot, the list
of the party's return applications, and trytond's `common.server.version`
JSON-RPC call, the baseline measured in the same run under the same load.
THINK (seconds, 2) is the mean of each user's pause between two requests,
drawn at random (exponentially distributed, the users starting at random
within it, so that they do not send in step). Without pause the users keep
every process busy, and a request waits for those queued before it: that
phase shows the capacity, the one with pauses the latency.

Prints the p50 and p95 of each and their ratios to the baseline's, the
failures, the cores and the load average; writes
bench/results/portal_load.json. Exits 1 when a request failed. The goal,
a p95 of at most 100 ms per page on two cores with the users pausing, is
reported, never asserted.

The database (the warranty, returns, repair network and portal demo) is
built on PostgreSQL (TRYTOND_DATABASE_URI or the local server) under its
own name and dropped at the end; DB_CACHE, as for the tests, makes its
build quick.
"""
import datetime as dt
import http.client
import os
import random
import re
import statistics
import sys
import threading
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from common import (
    ROOT, WORKERS, machine, percentile, print_machine, server_config,
    use_database, write_results)

use_database('bench_portal_load')
USERS = int(os.environ.get('USERS', 50))
ROUNDS = int(os.environ.get('ROUNDS', 10))
THINK = float(os.environ.get('THINK', 2))
GOAL_MS = 100
PRODUCT = 'CFL-18'
RESULTS = ROOT / 'bench' / 'results' / 'portal_load.json'
CALLS = ['version', 'warranty', 'applications']

from proteus import Model  # noqa: E402
from trytond.modules.aftersales_portal.tests import (  # noqa: E402
    demo as portal_demo)
from trytond.modules.aftersales_repair_network.tests import (  # noqa: E402
    demo as network_demo)
from trytond.modules.aftersales_rma.tests import demo as rma_demo  # noqa: E402,E501
from trytond.modules.aftersales_warranty.tests import (  # noqa: E402
    demo as warranty_demo)
from trytond.modules.aftersales_warranty.tests.servers import (  # noqa: E402
    call, gunicorn)
from trytond.tests.tools import activate_modules  # noqa: E402


def build_demo(config):
    "The demo of the portal and of the modules it shows"
    data = {}
    for demo in [warranty_demo, rma_demo, network_demo, portal_demo]:
        demo.build(data, config=config)


def prepare():
    """Build the database; return the query of the warranty look-up and
    the e-mails of the web users"""
    activate_modules(['aftersales_portal'], build_demo)
    today = warranty_demo.company_today()
    WebUser = Model.get('web.user')
    emails = [u.email for u in WebUser.find([('party', '!=', None)])]
    return {
        'product': PRODUCT,
        'lot': warranty_demo.lot_number(PRODUCT, 12, today),
        'purchase_date': (today - dt.timedelta(days=3)).isoformat(),
        }, emails


class Portal:
    "A web user's session on the portal, its cookies kept"

    def __init__(self, host, database):
        self.connection = http.client.HTTPConnection(host, timeout=60)
        self.base = f'/{database}/portal/'
        self.cookies = {}

    def request(self, method, path, body=None):
        "Send the request; return its status and body"
        headers = {'Accept-Language': 'zh-CN'}
        if self.cookies:
            headers['Cookie'] = '; '.join(
                f'{k}={v}' for k, v in self.cookies.items())
        if body is not None:
            body = urlencode(body)
            headers['Content-Type'] = 'application/x-www-form-urlencoded'
        self.connection.request(method, self.base + path, body, headers)
        response = self.connection.getresponse()
        data = response.read().decode()
        for header in response.headers.get_all('Set-Cookie') or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data

    def login(self, email, password):
        self.request('GET', 'login')
        status, _ = self.request('POST', 'login', {
                'email': email, 'password': password,
                'csrf_token': self.cookies['aftersales_portal_csrf']})
        if status != 303 or 'aftersales_portal_session' not in self.cookies:
            raise RuntimeError(f"{email} did not log in: HTTP {status}")

    def close(self):
        self.connection.close()


def version(url):
    "trytond's common.server.version JSON-RPC call, as an answered page"
    return 200, call(url, '', 'common.server.version')


def user(portal, url, lookup, timings, failures, barrier=None,
        rounds=ROUNDS, think=0):
    "One user's rounds: the look-up, the returns, the server's version"
    checks = {
        'version': (lambda: version(url), '8.0'),
        'warranty': (lambda: portal.request(
                'GET', 'warranty?' + urlencode(lookup)), 'id="answers"'),
        # the number searched: the list of a party without returns too
        'applications': (lambda: portal.request('GET', 'applications'),
            'name="number"'),
        }
    if barrier:
        barrier.wait()
    if think:
        time.sleep(random.uniform(0, think))
    for _ in range(rounds):
        for name, (send, expected) in checks.items():
            start = time.perf_counter()
            try:
                status, data = send()
            except Exception as exception:
                failures.append(f'{name}: {exception!r}')
                continue
            elapsed = time.perf_counter() - start
            if status != 200 or expected not in data:
                failures.append(f'{name}: HTTP {status} '
                    + re.sub(r'\s+', ' ', re.sub(r'<[^>]+>', ' ', data))[
                        :200])
                continue
            timings[name].append(elapsed)
            if think:
                time.sleep(random.expovariate(1 / think))


def run(url, database, lookup, emails):
    """Log in USERS sessions; load the server with one of them alone, then
    with all of them pausing THINK seconds on average, then with all of
    them without pause; return the figures of each phase"""
    host = url.split('://', 1)[1]
    portals = []
    start = time.perf_counter()
    for i in range(USERS):
        portal = Portal(host, database)
        portal.login(emails[i % len(emails)], warranty_demo.USER_PASSWORD)
        portals.append(portal)
    login_seconds = time.perf_counter() - start
    # every process warm: its pool, its caches
    for portal in portals[:WORKERS * 4]:
        user(portal, url, lookup, {n: [] for n in CALLS}, [], rounds=1)
    # alone: as many requests as the others, in a few seconds
    phases = [load(portals[:1], url, lookup, rounds=ROUNDS * 5),
        load(portals, url, lookup, THINK),
        load(portals, url, lookup)]
    for portal in portals:
        portal.close()
    return {'login_seconds': round(login_seconds, 3), 'phases': phases}


def load(portals, url, lookup, think=0, rounds=ROUNDS):
    """Run the users of portals at once, rounds times each, pausing think
    seconds on average; return the figures"""
    timings = {name: [] for name in CALLS}
    failures = []
    barrier = threading.Barrier(len(portals) + 1)
    threads = [threading.Thread(target=user,
            args=(p, url, lookup, timings, failures, barrier),
            kwargs={'think': think, 'rounds': rounds})
        for p in portals]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    requests = sum(len(v) for v in timings.values())
    calls = {name: {
            'count': len(values),
            'p50_ms': round(1000 * statistics.median(values), 1),
            'p95_ms': round(1000 * percentile(values, 95), 1),
            } for name, values in timings.items() if values}
    baseline = calls.get('version')
    for figures in calls.values():
        if baseline:
            figures['p50_ratio'] = round(
                figures['p50_ms'] / baseline['p50_ms'], 2)
            figures['p95_ratio'] = round(
                figures['p95_ms'] / baseline['p95_ms'], 2)
    return {
        'users': len(portals),
        'think': think,
        'seconds': round(elapsed, 3),
        'requests': requests,
        'requests_per_second': round(requests / elapsed, 1),
        'failures': failures,
        'calls': calls,
        }


def print_table(result):
    print(f"{result['users']} user(s), pause {result['think']} s: "
        f"{result['requests_per_second']} requests/s, "
        f"{len(result['failures'])} failed")
    print(f"{'users':>5} {'call':<13} {'count':>6} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p50 ratio':>10} {'p95 ratio':>10}")
    for name in CALLS:
        figures = result['calls'].get(name)
        if not figures:
            print(f"{result['users']:>5} {name:<13} {'-':>6}")
            continue
        print(f"{result['users']:>5} {name:<13} {figures['count']:>6} "
            f"{figures['p50_ms']:>8} {figures['p95_ms']:>8} "
            f"{figures.get('p50_ratio', '-'):>10} "
            f"{figures.get('p95_ratio', '-'):>10}")


def main():
    print_machine(
        f"{USERS} users x {ROUNDS} rounds; "
        f"{WORKERS} gunicorn processes; loopback")
    lookup, emails = prepare()
    database = os.environ['DB_NAME']
    with server_config() as conf, \
            open(conf.parent / 'gunicorn.log', 'w') as log, \
            gunicorn(conf, database, workers=WORKERS, log=log) as url:
        result = run(url, database, lookup, emails)
    print(f"{USERS} logins in {result['login_seconds']} s")
    for figures in result['phases']:
        print_table(figures)
    calls = result['phases'][1]['calls']
    pages_p95 = max(calls[n]['p95_ms']
        for n in ['warranty', 'applications'] if n in calls)
    print(f"goal: page p95 <= {GOAL_MS} ms with {USERS} users pausing "
        f"{THINK} s: "
        + ("met" if pages_p95 <= GOAL_MS else f"not met ({pages_p95} ms)"))
    failures = [f for p in result['phases'] for f in p['failures']]
    for failure in failures[:5]:
        print(f"failed: {failure}")
    write_results(RESULTS, {**machine(),
                'users': USERS,
                'rounds': ROUNDS,
                'think': THINK,
                'workers': WORKERS,
                'result': result,
                })
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
