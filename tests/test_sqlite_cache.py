"""trytond 8.0 on SQLite: a cache sync inside a request commits the request

``MemoryCache.sync`` runs when a transaction starts, once ``[cache]
clean_timeout`` seconds (300 by default) have passed since the last sync. It
asks the backend for an autocommit connection; the SQLite backend has a
single connection per database, so the transaction's own connection is
switched to autocommit, and whatever the request writes afterwards is kept
even when the request fails. PostgreSQL hands out a separate connection and
is not affected. The demo server (one process on SQLite, see trytond.conf)
sets a clean_timeout that never elapses, so it never syncs that way.
"""
import configparser
import datetime as dt
from contextlib import contextmanager
from pathlib import Path

import pytest

from trytond import backend
from trytond.cache import MemoryCache
from trytond.config import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, USER, activate_module
from trytond.transaction import Transaction

pytestmark = pytest.mark.skipif(
    backend.name != 'sqlite', reason="SQLite's single connection only")

DEMO_CONF = Path(__file__).resolve().parent.parent / 'trytond.conf'


def demo_clean_timeout():
    parser = configparser.ConfigParser()
    parser.read(DEMO_CONF)
    return parser.get('cache', 'clean_timeout')


@contextmanager
def clean_timeout(value):
    saved = config.get('cache', 'clean_timeout')
    config.set('cache', 'clean_timeout', value)
    try:
        yield
    finally:
        config.set('cache', 'clean_timeout', saved)


def failed_request(name):
    "Create a group in a request that fails after a due cache sync"
    MemoryCache._clean_last = dt.datetime.now() - dt.timedelta(days=1)
    with pytest.raises(RuntimeError):
        with Transaction().start(DB_NAME, USER):
            Pool().get('res.group').create([{'name': name}])
            raise RuntimeError("refused")


def group_exists(name):
    with Transaction().start(DB_NAME, USER, readonly=True):
        return bool(Pool().get('res.group').search([('name', '=', name)]))


def remove_group(name):
    with Transaction().start(DB_NAME, USER) as transaction:
        Group = Pool().get('res.group')
        Group.delete(Group.search([('name', '=', name)]))
        transaction.commit()


@pytest.fixture(scope='module')
def database():
    activate_module('res')


def test_trytond_default_keeps_failed_request(database):
    "with trytond's default clean_timeout the failed request is kept"
    name = 'cache sync default'
    with clean_timeout('300'):
        failed_request(name)
    try:
        assert group_exists(name), (
            "trytond no longer commits a failed request on a cache sync: "
            "the demo's clean_timeout work-around can go")
    finally:
        remove_group(name)


def test_demo_configuration_rolls_back_failed_request(database):
    "with the demo server's clean_timeout the failed request leaves nothing"
    name = 'cache sync demo'
    with clean_timeout(demo_clean_timeout()):
        failed_request(name)
    assert not group_exists(name)
