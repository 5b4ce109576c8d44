"""Benchmark: the warranty check of N claims in one batch, against the
same claims checked one by one (the baseline, measured in the same run)

Prints, for each N, the time and SQL queries of both ways and their ratio.
Run with `make bench` (SQLite in memory; TRYTOND_DATABASE_URI for
PostgreSQL).
"""
import os
import sys
import time

os.environ.setdefault('DB_NAME', ':memory:')

from trytond.modules.aftersales_warranty.tests.test_check_queries import (  # noqa: E402,E501
    WarrantyCheckQueriesTestCase)
from trytond.modules.aftersales_warranty.tests.tools import (  # noqa: E402
    count_queries)
from trytond.modules.company.tests import (  # noqa: E402
    create_company, set_company)
from trytond.pool import Pool  # noqa: E402
from trytond.tests.test_tryton import (  # noqa: E402
    activate_module, with_transaction)
from trytond.transaction import Transaction  # noqa: E402

SIZES = [10, 100, 500]


def clear_caches():
    for cache in Transaction().cache.values():
        cache.clear()


def measure(check):
    clear_caches()
    start = time.perf_counter()
    with count_queries() as counter:
        check()
    return time.perf_counter() - start, counter.count


@with_transaction()
def run():
    Policy = Pool().get('aftersales.warranty.policy')
    builder = WarrantyCheckQueriesTestCase()
    company = create_company()
    with set_company(company):
        registrations = builder.create_registrations(company, max(SIZES))
        claims = builder.claims(registrations)
        Policy.check(claims[:1])  # warm the caches
        print(f"{'claims':>7} {'one by one':>20} {'batch':>20} {'ratio':>7}")
        for size in SIZES:
            some = claims[:size]
            single_time, single_queries = measure(
                lambda: [Policy.check([c]) for c in some])
            batch_time, batch_queries = measure(lambda: Policy.check(some))
            print(f"{size:>7} {single_time:>9.3f} s {single_queries:>5} q"
                f" {batch_time:>9.3f} s {batch_queries:>5} q"
                f" {single_time / batch_time:>6.1f}x")


if __name__ == '__main__':
    activate_module(['aftersales_warranty'])
    run()
    sys.exit(0)
