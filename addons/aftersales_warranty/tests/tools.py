"Test helpers shared by the after-sales modules"
import doctest
import importlib
import io
import pathlib
import socket
import unittest
from contextlib import contextmanager
from unittest import mock

import pytest
from sql.aggregate import Count, Max
from sql.conditionals import Coalesce

import trytond.config as config
from trytond import backend
from trytond.modules.account.tests import create_chart
from trytond.model import ModelSQL
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    TestCase, activate_module, doctest_checker, doctest_setup,
    doctest_teardown, drop_db)
from trytond.transaction import Transaction, TransactionError

OPTIONFLAGS = (
    doctest.REPORT_ONLY_FIRST_FAILURE
    | doctest.ELLIPSIS
    | doctest.IGNORE_EXCEPTION_DETAIL)


def scenarios(test_file):
    "Return the scenario file names beside test_file, for parametrize"
    folder = pathlib.Path(test_file).parent
    return sorted(p.name for p in folder.glob('scenario_*.rst'))


def run_scenario(package, name):
    """Run one doctest scenario and return its report, '' when it passed

    pytest ignores load_tests, so each scenario is handed to it this way.
    """
    flags = OPTIONFLAGS
    if backend.name == 'sqlite':
        from trytond.tests.test_tryton import STRIP_DECIMAL
        flags |= STRIP_DECIMAL
    suite = doctest.DocFileSuite(
        name, package=package, setUp=doctest_setup,
        tearDown=doctest_teardown, encoding='utf-8',
        checker=doctest_checker, optionflags=flags)
    stream = io.StringIO()
    result = unittest.TextTestRunner(stream=stream, verbosity=0).run(suite)
    if result.wasSuccessful() and result.testsRun:
        return ''
    return stream.getvalue() or 'no test ran'


def scenario_test(test_file, package):
    """Return the pytest test of the scenarios beside test_file

    Each tests/scenario_*.rst file is one case of it: pytest ignores
    load_tests, so the scenarios are handed to it this way.
    """
    @pytest.mark.parametrize('name', scenarios(test_file))
    def test_scenario(name):
        report = run_scenario(package, name)
        assert not report, report
    return test_scenario


@contextmanager
def new_company(chart=False, **values):
    """Create a company from values and work in it, yielding it

    With chart, the company gets a chart of accounts first.
    """
    company = create_company(**values)
    with set_company(company):
        if chart:
            create_chart(company)
        yield company


def create_party(name, **values):
    "Return a new party named name, created with values"
    Party = Pool().get('party.party')
    party, = Party.create([{'name': name, **values}])
    return party


def create_user(login, group, company, **values):
    """Return a user of company holding only the group named group, of
    aftersales_warranty or named as module.group"""
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    module, _, group = group.rpartition('.')
    user = User(
        login=login, name=login,
        groups=[ModelData.get_id(module or 'aftersales_warranty', group)],
        companies=[company], company=company, **values)
    user.save()
    return user


@contextmanager
def acting_as(user, company):
    "Work as user in company, its access rights and record rules checked"
    transaction = Transaction()
    with transaction.set_user(user.id), transaction.set_context(
            company=company.id, _check_access=True):
        yield


def on(day):
    "Patch today's date of ir.date to day"
    return mock.patch.object(Pool().get('ir.date'), 'today', return_value=day)


class OverdueTestMixin:
    "Assertions on the overdue field of the models of OverdueMixin"

    def assert_overdue(self, overdue=(), on_time=()):
        """Assert that the records overdue are overdue and that the records
        on_time are not, as read and as searched: the records of their
        model overdue and not overdue are exactly those"""
        Model = [*overdue, *on_time][0].__class__
        self.assertEqual(
            {r: Model(r.id).overdue for r in [*overdue, *on_time]},
            {**{r: True for r in overdue}, **{r: False for r in on_time}})
        self.assertEqual(
            set(Model.search([('overdue', '=', True)])), set(overdue))
        self.assertEqual(
            set(Model.search([('overdue', '=', False)])), set(on_time))


def load_translations(code, *modules):
    """Make language code translatable, load the modules' .po of it, return it

    As trytond does on a module update: locale/<code>.po, then
    locale/override/<code>.po, in one import. An override entry of another
    module's string (msgctxt ending in ``:<module>.<xml id>``) needs that
    module's translations loaded first: give the modules in dependency
    order. trytond's ir comes first, as it does in trytond: our overrides
    replace some of its messages.
    """
    pool = Pool()
    Lang = pool.get('ir.lang')
    Translation = pool.get('ir.translation')
    lang, = Lang.search([('code', '=', code)])
    Lang.write([lang], {'translatable': True})
    for module in ['ir', *(m for m in modules if m != 'ir')]:
        package = ('trytond.ir' if module == 'ir'
            else f'trytond.modules.{module}')
        folder = pathlib.Path(
            importlib.import_module(package).__file__).parent / 'locale'
        files = [str(p) for p in [
                folder / f'{code}.po', folder / 'override' / f'{code}.po']
            if p.exists()]
        if files:
            Translation.translation_import(code, module, files)
    return lang


class SmtpHandler:
    "Keep the messages an SMTP server receives"

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return '250 OK'


def free_port():
    "Return a TCP port free on the loopback"
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def start_smtp_server(test, sender):
    """Start an SMTP server on the loopback for the test and send trytond's
    e-mail to it from sender, until the test ends; return its handler,
    whose messages are the envelopes received"""
    from aiosmtpd.controller import Controller
    handler = SmtpHandler()
    port = free_port()
    controller = Controller(handler, hostname='127.0.0.1', port=port)
    controller.start()
    test.addCleanup(controller.stop)
    for option, value in [
            ('uri', f'smtp://127.0.0.1:{port}'),
            ('from', sender)]:
        previous = config.get('email', option)
        config.set('email', option, value)
        test.addCleanup(config.set, 'email', option, previous)
    return handler


def in_transaction(database, func, context=None):
    """Return func() called in a new transaction of database as root,
    committed; started again with the locks Tryton asks for, as the
    dispatcher does (creating a chart of accounts locks a table)"""
    extras = {}
    while True:
        try:
            with Transaction().start(
                    database, 0, context=context, **extras) as transaction:
                result = func()
                transaction.commit()
                return result
        except TransactionError as error:
            error.fix(extras)


class QueryCounter:
    count = 0


@contextmanager
def count_queries():
    "Count the SQL queries the current transaction sends"
    counter = QueryCounter()
    connection = Transaction().connection
    if backend.name == 'sqlite':
        def trace(statement):
            counter.count += 1
        connection.set_trace_callback(trace)
        try:
            yield counter
        finally:
            connection.set_trace_callback(None)
    else:
        from trytond.backend.postgresql.database import LoggingCursor
        execute = LoggingCursor.execute

        def counting(self, *args, **kwargs):
            counter.count += 1
            return execute(self, *args, **kwargs)
        with mock.patch.object(LoggingCursor, 'execute', counting):
            yield counter


def run_queued_tasks():
    """Run the tasks the current transaction queued, in it, as trytond runs
    them after the request when no worker is configured (a test's
    transaction never ends that way); return how many ran"""
    Queue = Pool().get('ir.queue')
    tasks = Transaction().tasks
    count = 0
    while tasks:
        Queue(tasks.pop(0)).run()
        count += 1
    return count


class ActivatedTestCase(TestCase):
    "A test case on a database where module (and extras) are activated"
    module = None
    extras = []

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module([cls.module] + cls.extras)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    def setUp(self):
        super().setUp()
        # The queued tasks are listed per thread, not per transaction: those
        # of an earlier test, rolled back, are not this test's
        Transaction().tasks.clear()


def run_committed(database, user, function, context=None, commit=True):
    """Call function with the pool in a transaction of user on database,
    committed when it returns and rolled back when it raises, as the
    dispatcher runs a request (restarted when it asks for locks); return
    its result

    Without commit, the transaction is rolled back whatever happens.
    """
    extras = {}
    while True:
        with Transaction().start(database, user, context=context,
                **extras) as transaction:
            try:
                result = function(Pool())
            except TransactionError as e:
                transaction.rollback()
                e.fix(extras)
                continue
            except BaseException:
                transaction.rollback()
                raise
            if commit:
                transaction.commit()
            else:
                transaction.rollback()
            return result


# The tables a snapshot reads beyond those of the after-sales models
SNAPSHOT_MODELS = ['ir.attachment', 'ir.email', 'ir.trigger.log',
    'sale.complaint', 'stock.lot', 'stock.move', 'stock.shipment.out',
    'account.invoice', 'account.invoice.line']


def snapshot(pool):
    """Return {model: (count, latest creation or change)} of the tables of
    the after-sales models and of SNAPSHOT_MODELS: two equal snapshots
    show nothing was written in between"""
    Model = pool.get('ir.model')
    names = {m.name for m in Model.search(
            [('module', 'like', 'aftersales_%')])} | set(SNAPSHOT_MODELS)
    cursor = Transaction().connection.cursor()
    result = {}
    for name in sorted(names):
        Class = pool.get(name)
        if not issubclass(Class, ModelSQL) or Class.table_query is not None:
            continue
        table = Class.__table__()
        cursor.execute(*table.select(Count(table.id),
                Max(Coalesce(table.write_date, table.create_date))))
        result[name] = tuple(cursor.fetchone())
    return result
