"""The project's pytest configuration works with and without pytest-xdist,
and the databases it restores from DB_CACHE start with fresh caches"""
import subprocess
import sys
from pathlib import Path

import pytest

from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.tools import activate_modules
from trytond.transaction import Transaction

ROOT = Path(__file__).resolve().parent.parent


def test_collect_without_xdist():
    "pytest -p no:xdist collects the addons' tests"
    result = subprocess.run(
        [sys.executable, '-m', 'pytest', '-p', 'no:xdist', '--collect-only',
            '-q', 'addons/aftersales_warranty/tests/test_module.py'],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def admin_groups():
    "The names of the groups the admin holds, as access checks read them"
    with Transaction().start(test_tryton.DB_NAME, test_tryton.USER):
        pool = Pool()
        Group = pool.get('res.group')
        User = pool.get('res.user')
        return {g.name for g in Group.browse(User.get_groups())}


@pytest.mark.skipif(not test_tryton.DB_CACHE, reason="needs DB_CACHE")
def test_restored_database_forgets_the_one_it_replaces():
    """A scenario's database restored from the cache does not see the
    admin's groups the process cached of the database a test left before"""
    activate_modules('company')
    test_tryton.drop_db()
    test_tryton.activate_module('res')
    assert admin_groups() == {'Administration'}

    activate_modules('company')

    assert 'Employee Administration' in admin_groups()
