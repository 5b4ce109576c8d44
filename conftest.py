"""Import the addons' tests under their installed names.

Each addon is installed as the package ``trytond.modules.<addon>`` mapped onto
``addons/<addon>/``. Left to itself pytest would import
``addons/<addon>/tests/test_x.py`` under a name of its own, so the test and
the module's code would see two copies of the module (and, for instance,
``assertRaises`` of an exception class would miss the one really raised).
"""
import fcntl
import importlib
import os
import time
from pathlib import Path

import pytest

ADDONS = Path(__file__).resolve().parent / 'addons'


def _separate_worker_databases():
    """Give each pytest-xdist worker its own test database

    trytond names a PostgreSQL test database after the second it starts in,
    so two workers would share it. Importing trytond.tests.test_tryton sets
    DB_NAME, and the controller's conftests import it before the workers
    start: so the controller notes, before any import, whether the run was
    given a name.
    """
    worker = os.environ.get('PYTEST_XDIST_WORKER')
    if not worker:
        os.environ.setdefault(
            'AFTERSALES_DB_NAME_GIVEN',
            '1' if os.environ.get('DB_NAME') else '')
        return
    uri = os.environ.get('TRYTOND_DATABASE_URI', '')
    if (uri.startswith('postgresql')
            and not os.environ.get('AFTERSALES_DB_NAME_GIVEN')):
        os.environ['DB_NAME'] = f'test_{int(time.time())}_{worker}'


_separate_worker_databases()


def lock_cache(path):
    """Return the lock of the cache entry at path, held until it is closed:
    the other workers wait until its writer is done with it"""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    lock = open(f'{path}.lock', 'w')
    fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def _share_database_cache():
    """Let the workers share a DB_CACHE folder: the first worker to need a
    database builds and saves it while the others wait, then they copy it

    A worker holds the entry's lock from the restore that missed to the
    backup that follows the build; it lets go of a build that failed when
    it next restores.
    """
    from trytond.tests import test_tryton, tools

    restore, backup = test_tryton.restore_db_cache, test_tryton.backup_db_cache
    cache = test_tryton.DB_CACHE
    if not cache or '://' in cache:
        return
    building = {}

    def restore_db_cache(name):
        while building:
            building.popitem()[1].close()
        lock = lock_cache(test_tryton._db_cache_file(cache, name))
        if restore(name):
            lock.close()
            return True
        building[name] = lock
        return False

    def backup_db_cache(name):
        lock = building.pop(name, None) or lock_cache(
            test_tryton._db_cache_file(cache, name))
        with lock:
            backup(name)

    for module in [test_tryton, tools]:
        module.restore_db_cache = restore_db_cache
        module.backup_db_cache = backup_db_cache


_share_database_cache()


@pytest.fixture(scope='session')
def cache_lock():
    "Return lock_cache, for the caches the fixtures keep in DB_CACHE"
    return lock_cache


def _installed_name(path):
    try:
        parts = Path(path).resolve().relative_to(ADDONS).with_suffix('').parts
    except ValueError:
        return None
    if len(parts) < 2:
        return None
    if parts[-1] == '__init__':
        parts = parts[:-1]
    return '.'.join(('trytond', 'modules') + parts)


class AddonModule(pytest.Module):

    def _getobj(self):
        module = importlib.import_module(_installed_name(self.path))
        if Path(module.__file__).resolve() != self.path.resolve():
            raise pytest.UsageError(
                f"{module.__name__} is installed from {module.__file__}, "
                f"not from {self.path}: run 'make test' to reinstall")
        self.config.pluginmanager.consider_module(module)
        return module


def pytest_collect_directory(path, parent):
    # A plain directory: pytest's Package would import __init__.py under
    # another name.
    if _installed_name(path / '__init__.py'):
        return pytest.Dir.from_parent(parent, path=path)


def pytest_pycollect_makemodule(module_path, parent):
    if _installed_name(module_path):
        return AddonModule.from_parent(parent, path=module_path)
