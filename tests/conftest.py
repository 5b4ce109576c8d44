"""Fixtures of the browser tests: a demo database served with the web client

The demo database is built from nothing by demo/build.py (as `make demo`
does) in a temporary folder, then served by trytond on a free localhost
port. The browser tests need node, Debian's chromium and what `make test`
installs under var/ (the web client and playwright-core). They are skipped
when node or chromium is missing, except in CI (CI set) where they fail.
DEMO_MODULES (addon names separated by spaces) limits the demo database to
those addons and their dependencies. With DB_CACHE set to a folder (make test
sets one per hash of the sources), the built database is kept there for the
day and copied by later runs. The built database (demo_database) is built
once a session for the browser tests and tests/test_demo.py alike.

tests/test_roles.py, tests/test_access.py, tests/test_isolation.py and
tests/test_scheduled.py act as the demo users of the roles in a copy of the
whole demo database of their own (config, act_as, logins), on the backend
of the run: on SQLite, demo_database's (unless DEMO_MODULES limits it); on
PostgreSQL one built by demo/build.py once, kept as a template in DB_CACHE
for the day.
"""
import configparser
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from proteus import Model
from trytond import backend
from trytond.config import config as trytond_config
from trytond.modules.aftersales_audit.tests import demo as audit_demo
from trytond.modules.aftersales_repair_network.tests import (
    demo as network_demo)
from trytond.modules.aftersales_warranty.tests import demo as warranty_demo
from trytond.tests.test_tryton import drop_db
from trytond.tests.tools import _get_config, set_user

ROOT = Path(__file__).resolve().parent.parent
SAO_ROOT = ROOT / 'var' / 'sao' / 'package'
PLAYWRIGHT_PREFIX = ROOT / 'var' / 'browser'
SCREENSHOTS = ROOT / 'tests' / 'screenshots'
CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
BUILD_TIMEOUT = 15 * 60
SERVER_TIMEOUT = 60
DEMO_MODULES = os.environ.get('DEMO_MODULES', '').split()
LOGINS = {(module, group): login for login, module, group, *_ in (
        warranty_demo.USERS + network_demo.USERS
        + [audit_demo.LINE_MANAGER])}


def _clean_env():
    "The environment without the test run's Tryton settings"
    return {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_') and k not in {'DB_NAME', 'DB_CACHE'}}


@pytest.fixture(scope='session')
def clean_env():
    "The environment of a process on a database of its own configuration"
    return _clean_env()


def _free_port():
    with socket.socket() as sock:
        sock.bind(('localhost', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='session')
def browser_tools():
    "Return (node, chromium); skip or fail when they are missing"
    node = shutil.which('node')
    missing = [name for name, found in [
            ('node', node), ('chromium', os.access(CHROMIUM, os.X_OK))]
        if not found]
    if missing:
        message = (f"{' and '.join(missing)} not installed "
            "(apt-get install chromium fonts-noto-cjk; Node 20)")
        if os.environ.get('CI'):
            pytest.fail(message)
        pytest.skip(message)
    for path, what in [
            (SAO_ROOT / 'index.html', 'the web client'),
            (PLAYWRIGHT_PREFIX / 'node_modules' / 'playwright-core',
                'playwright-core')]:
        if not path.exists():
            pytest.fail(f"{what} is not installed in {path.parent}: "
                "run `make test` (or `make sao browser`)")
    return node, CHROMIUM


@pytest.fixture(scope='session')
def demo_database(tmp_path_factory, cache_lock):
    """Build the demo database from nothing, as `make demo` does, once a
    session (or copy today's from DB_CACHE)

    Return its folder: demo.sqlite and trytond.conf, whose SQLite database
    path is that folder.
    """
    return _sqlite_demo(tmp_path_factory, cache_lock, DEMO_MODULES)


def _sqlite_demo(tmp_path_factory, cache_lock, modules):
    "Return the folder of the SQLite demo database of modules (all if none)"
    folder = tmp_path_factory.mktemp('demo')
    conf = folder / 'trytond.conf'
    conf.write_text(
        "[database]\n"
        "uri = sqlite://\n"
        f"path = {folder}\n")
    cache = os.environ.get('DB_CACHE', '')
    cached = (Path(cache) / 'demo-{}-{}.sqlite'.format(
            dt.date.today(), '-'.join(sorted(modules)) or 'all')
        if cache and '://' not in cache else None)
    if not cached:
        _build_demo(conf, modules)
        return folder
    with cache_lock(cached):
        if not cached.exists():
            _build_demo(conf, modules)
            shutil.copyfile(folder / 'demo.sqlite', cached)
    shutil.copyfile(cached, folder / 'demo.sqlite')
    return folder


def _build_demo(conf, modules, database='demo'):
    "Build the demo as `make demo` does, its e-mail kept beside conf"
    subprocess.run(
        [sys.executable, str(ROOT / 'scripts' / 'demo_mailbox.py'),
            str(conf.parent / 'mail'), str(_free_port()), '--',
            sys.executable, str(ROOT / 'demo' / 'build.py'),
            '-c', str(conf), '-d', database]
        + (['-m', *modules] if modules else []),
        check=True, env=_clean_env(), cwd=ROOT, timeout=BUILD_TIMEOUT)


@pytest.fixture(scope='session')
def whole_demo(request, tmp_path_factory, cache_lock, database_template):
    """Return the demo database of every addon on the backend of the run:
    on SQLite the file of demo_database (or of a demo of its own when
    DEMO_MODULES limits that one); on PostgreSQL the name of a template
    database demo/build.py builds, once a day with DB_CACHE"""
    if backend.name == 'sqlite':
        folder = (_sqlite_demo(tmp_path_factory, cache_lock, [])
            if DEMO_MODULES else request.getfixturevalue('demo_database'))
        return folder / 'demo.sqlite'
    conf = tmp_path_factory.mktemp('demo') / 'trytond.conf'
    conf.write_text(
        "[database]\n"
        f"uri = {trytond_config.get('database', 'uri')}\n")
    return database_template(f'demo-{dt.date.today()}',
        lambda name: _build_demo(conf, [], name))


@pytest.fixture(scope='session')
def demo_server(browser_tools, demo_database, tmp_path_factory):
    """Serve a copy of the demo database with the web client: what the
    browser tests change stays out of the other tests' demo

    Return the base URL.
    """
    folder = tmp_path_factory.mktemp('served')
    shutil.copyfile(demo_database / 'demo.sqlite', folder / 'demo.sqlite')
    port = _free_port()
    conf = folder / 'server.conf'
    # The settings of make demo's server, on this database and port
    config = configparser.ConfigParser(interpolation=None)
    config.read([ROOT / 'trytond.conf', folder / 'trytond.conf'],
        encoding='utf-8')
    config.read_dict({
            'database': {'path': str(folder)},
            'web': {'listen': f'localhost:{port}', 'root': str(SAO_ROOT)},
            })
    with conf.open('w') as file:
        config.write(file)
    env = _clean_env()

    log = open(folder / 'trytond.log', 'w')
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / 'trytond'), '-c', str(conf),
            '-d', 'demo'],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f'http://localhost:{port}/'
    try:
        deadline = time.monotonic() + SERVER_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "trytond did not start:\n"
                        + (folder / 'trytond.log').read_text()[-3000:])
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture
def run_browser_script(browser_tools, demo_server):
    """Return a function running a node script of tests/browser against the
    demo server, failing when the script fails or did not take one of the
    screenshots named (PNG files of tests/screenshots/<script name>/); it
    returns the script's output
    """
    node, chromium = browser_tools

    def run(script, screenshots, timeout=300, **variables):
        output, folder = _run_script(node, chromium, script, demo_server,
            timeout, variables)
        for name in screenshots:
            assert (folder / f'{name}.png').stat().st_size > 0, name
        return output
    return run


def _run_script(node, chromium, script, url, timeout, variables):
    screenshots = SCREENSHOTS / Path(script).stem
    shutil.rmtree(screenshots, ignore_errors=True)
    screenshots.mkdir(parents=True)
    env = dict(os.environ,
        BASE_URL=url, SCREENSHOTS=str(screenshots),
        PLAYWRIGHT_PREFIX=str(PLAYWRIGHT_PREFIX), CHROMIUM=chromium,
        **variables)
    result = subprocess.run(
        [node, str(ROOT / 'tests' / 'browser' / script)],
        env=env, cwd=ROOT, timeout=timeout,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(result.stdout)
    assert result.returncode == 0, (
        f"{script} failed (screenshots in {screenshots}):\n"
        + result.stdout[-3000:])
    return result.stdout, screenshots


@pytest.fixture(scope='module')
def config(whole_demo, copy_database):
    """One database per test module, a copy of the demo database (every
    addon and its demo, demo users included, as `make demo` builds it)"""
    copy_database(whole_demo)
    yield _get_config()
    drop_db()


@pytest.fixture(scope='module')
def portal_config(config):
    "The demo database: the portal and its web users are in it"
    return config


@pytest.fixture(scope='session')
def logins():
    "Return {(module, xml id of a role's group): login of its demo user}"
    return LOGINS


@pytest.fixture
def act_as(config):
    """Return a function switching proteus to the demo user of a role's
    group, given as (module, xml id); the admin comes back after the test"""
    def switch(module, group):
        User = Model.get('res.user')
        user, = User.find([('login', '=', LOGINS[module, group])])
        set_user(user)
        return user
    yield switch
    set_user(1)
    config.skip_warning = False
