"""Import the addons' tests under their installed names.

Each addon is installed as the package ``trytond.modules.<addon>`` mapped onto
``addons/<addon>/``. Left to itself pytest would import
``addons/<addon>/tests/test_x.py`` under a name of its own, so the test and
the module's code would see two copies of the module (and, for instance,
``assertRaises`` of an exception class would miss the one really raised).
"""
import fcntl
import hashlib
import importlib
import os
import time
from pathlib import Path

import pytest

ADDONS = Path(__file__).resolve().parent / 'addons'
# The module every after-sales module depends on
BASE = 'aftersales_warranty'
# The names of the template databases of the PostgreSQL test cache
TEMPLATE_PREFIX = 'aftersales-test-cache-'


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
    it next restores. A database that is not cached is built from the
    largest cached one whose modules it includes (activated_from_subset).
    """
    from trytond import backend
    from trytond.cache import Cache
    from trytond.tests import test_tryton, tools

    cache = test_tryton.DB_CACHE
    if not cache or '://' in cache:
        return
    if backend.name == 'postgresql':
        restore, backup = template_cache(test_tryton)
    else:
        restore = test_tryton.restore_db_cache
        backup = test_tryton.backup_db_cache
    building = {}
    activating = set()

    def restore_db_cache(name):
        for stale in set(building) - activating:
            building.pop(stale).close()
        lock = lock_cache(test_tryton._db_cache_file(cache, name))
        if restore(name):
            lock.close()
            # The restored database takes the place of the one this process
            # used under the same name, which a test may have left without
            # dropping it: what the caches hold of that one (the admin's
            # groups of a database of fewer modules, say) is stale
            Cache.drop(test_tryton.DB_NAME)
            return True
        building[name] = lock
        return False

    def backup_db_cache(name):
        lock = building.pop(name, None) or lock_cache(
            test_tryton._db_cache_file(cache, name))
        with lock:
            backup(name)
        modules = Path(f'{test_tryton._db_cache_file(cache, name)}.modules')
        if '--' not in name and not modules.exists():
            modules.write_text(name)

    activate_module, activate_modules = activated_from_subset(
        test_tryton, tools, restore_db_cache, backup_db_cache, activating)
    for module in [test_tryton, tools]:
        module.restore_db_cache = restore_db_cache
        module.backup_db_cache = backup_db_cache
    test_tryton.activate_module = activate_module
    tools.activate_modules = activate_modules


def _pg_execute(query, *params):
    "Execute the query outside of any PostgreSQL database; return its rows"
    from trytond import backend
    from trytond.transaction import Transaction
    with Transaction().start(
            None, 0, close=True, autocommit=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute(query, params)
        rows = cursor.fetchall() if cursor.description else []
    backend.Database.clear_cache()
    return rows


def _pg_exists(database):
    return bool(_pg_execute(
            'SELECT 1 FROM pg_database WHERE datname = %s', database))


def _pg_drop(database):
    from psycopg.sql import SQL, Identifier

    from trytond import backend
    backend.Database(database).close()
    _pg_execute(SQL('DROP DATABASE IF EXISTS {} WITH (FORCE)').format(
            Identifier(database)))


def _pg_copy(source, target):
    "Make the PostgreSQL database target a copy of source"
    from psycopg.sql import SQL, Identifier
    _pg_drop(target)
    _pg_execute(SQL("CREATE DATABASE {} TEMPLATE {} ENCODING 'unicode'")
        .format(Identifier(target), Identifier(source)))


def _cached_template(path):
    """Return the name of the template database that the .template file at
    path names, if it exists"""
    if path.exists() and _pg_exists(name := path.read_text().strip()):
        return name


def _new_template(path):
    "Return the name of the template database of the .template file path"
    return TEMPLATE_PREFIX + hashlib.sha256(
        str(path.resolve()).encode()).hexdigest()[:20]


def template_cache(test_tryton):
    """Return restore and backup functions that keep each cached PostgreSQL
    database as a template database, named in a .template file of the cache
    folder: a database is created from a template in a second, where
    pg_restore of a dump takes ten or more

    The template databases are named TEMPLATE_PREFIX and a hash of their
    file's path; `make test` drops those of older sources.
    """
    from trytond import backend
    from trytond.pool import Pool

    def template_file(name):
        return Path(
            f'{test_tryton._db_cache_file(test_tryton.DB_CACHE, name)}'
            '.template')

    def restore(name):
        template = _cached_template(template_file(name))
        if not template:
            return False
        _pg_copy(template, test_tryton.DB_NAME)
        Pool(test_tryton.DB_NAME).init()
        return True

    def backup(name):
        path = template_file(name)
        if _cached_template(path):
            return
        template = _new_template(path)
        backend.Database(test_tryton.DB_NAME).close()
        _pg_copy(test_tryton.DB_NAME, template)
        path.write_text(f'{template}\n')

    return restore, backup


def activated_from_subset(
        test_tryton, tools, restore_db_cache, backup_db_cache, activating):
    """Return test_tryton.activate_module and tools.activate_modules that
    start a database missing from the cache from the cached one with the
    most of its modules, and activate only the others: activating the
    first after-sales module costs minutes, adding one to it seconds

    A cached database is a candidate when its modules (the names of its
    backup's .modules file, written for databases without set-up or
    language) and their dependencies are all wanted. When none is, BASE is
    built first (or waited for, if another worker builds it).
    """
    from trytond import backend
    from trytond.modules import get_module_info
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    def closure(modules):
        result, todo = set(), list(modules)
        while todo:
            module = todo.pop()
            if module not in result:
                result.add(module)
                todo.extend(get_module_info(module).get('depends', []))
        return result

    def cached():
        pattern = f'*-{backend.name}.dump.modules'
        for path in Path(test_tryton.DB_CACHE).glob(pattern):
            name = path.read_text()
            yield name, closure(name.split('-'))

    def restore_subset(modules):
        "Restore the largest cached subset of modules, if there is one"
        wanted = closure(modules)
        candidates = [(len(c), n) for n, c in cached() if c <= wanted]
        if not candidates and (BASE not in wanted
                or wanted == closure([BASE])):
            return False
        test_tryton.drop_db()
        if candidates:
            return test_tryton.restore_db_cache(max(candidates)[1])
        activate_module([BASE])
        return True

    def activate(modules):
        "Activate those of modules not activated yet, as test_tryton does"
        with Transaction().start(
                test_tryton.DB_NAME, 1, close=True) as transaction:
            pool = Pool()
            Module = pool.get('ir.module')
            records = Module.search([
                    ('name', 'in', modules),
                    ('state', '!=', 'activated'),
                    ])
            if not records:
                return
            Module.activate(records)
            transaction.commit()
            ActivateUpgrade = pool.get(
                'ir.module.activate_upgrade', type='wizard')
            instance_id, _, _ = ActivateUpgrade.create()
            transaction.commit()
            ActivateUpgrade(instance_id).transition_upgrade()
            ActivateUpgrade.delete(instance_id)
            transaction.commit()

    def activate_module(modules, lang='en'):
        if isinstance(modules, str):
            modules = [modules]
        name = '-'.join(modules)
        if lang != 'en':
            name += '--' + lang
        activating.add(name)
        try:
            exists = test_tryton.db_exist()
            if not exists and restore_db_cache(name):
                return
            if exists or lang != 'en' or not restore_subset(modules):
                test_tryton.create_db(lang=lang)
            activate(modules)
            backup_db_cache(name)
        finally:
            activating.discard(name)

    def activate_modules(modules, *setup):
        if isinstance(modules, str):
            modules = [modules]
        name = '-'.join(sorted(modules))
        if setup:
            name += '--' + '|'.join(tools._func_name(f) for f in setup)
        activating.add(name)
        try:
            if restore_db_cache(name):
                return tools._get_config()
            if not restore_subset(modules):
                test_tryton.drop_create()
            activate(modules)
            config = tools._get_config()
            for func in setup:
                func(config=config)
            backup_db_cache(name)
            return config
        finally:
            activating.discard(name)

    return activate_module, activate_modules


_share_database_cache()


@pytest.fixture(scope='session')
def cache_lock():
    "Return lock_cache, for the caches the fixtures keep in DB_CACHE"
    return lock_cache


@pytest.fixture(scope='session')
def database_template():
    """Return template(key, build): the name of a PostgreSQL database that
    build(name) builds, kept as a template under key in DB_CACHE, as the
    test cache keeps its databases (so `make test` drops those of older
    sources); without DB_CACHE it is built once a session, dropped at its
    end"""
    from trytond.tests import test_tryton

    cache = test_tryton.DB_CACHE
    built = {}

    def template(key, build):
        if not cache or '://' in cache:
            if key not in built:
                built[key] = f'{test_tryton.DB_NAME}-{key}'
                build(built[key])
            return built[key]
        path = Path(cache) / f'{key}.template'
        with lock_cache(path):
            name = _cached_template(path)
            if not name:
                name = _new_template(path)
                _pg_drop(name)
                build(name)
                path.write_text(f'{name}\n')
        return name
    yield template
    for name in built.values():
        _pg_drop(name)


@pytest.fixture(scope='session')
def copy_database():
    """Return copy(source), which makes the test database (DB_NAME) a copy
    of source, a SQLite file or a PostgreSQL database, and loads its pool"""
    from trytond import backend
    from trytond.pool import Pool
    from trytond.tests import test_tryton

    def copy(source):
        if backend.name == 'sqlite':
            test_tryton._sqlite_copy(str(source), restore=True)
        else:
            _pg_copy(source, test_tryton.DB_NAME)
        Pool(test_tryton.DB_NAME).init()
    return copy


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
