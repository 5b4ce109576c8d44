"""The production set-up on PostgreSQL, run for real

Server processes are gunicorn serving trytond.application:app, configured
from the template trytond-postgresql.conf as `make serve-postgresql` is,
on the demo database of the roles' tests (conftest.py's config fixture);
the tests talk to them over JSON-RPC as the web client does:

- a change made through one server process is seen at once by another
  (PostgreSQL's LISTEN/NOTIFY channel, [cache] clean_timeout = 0);
- two server processes and one trytond-cron run each due job once;
- long work waits in the queue, shown as queued, until trytond-worker
  runs it;
- a pg_dump of the database and a copy of its attachments folder, restored
  under a new name, open with every module and read back the same.

PostgreSQL only: several processes on one SQLite file is not a supported
set-up (README, Notes).
"""
import datetime as dt
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from proteus import Model
from trytond.pool import Pool
from trytond.modules.aftersales_warranty.tests.demo import USER_PASSWORD
from trytond.modules.aftersales_warranty.tests.servers import (
    RPCError, Session, check_warranty, clean_env, gunicorn, trytond_command,
    wait_answering, write_config)
from trytond.modules.aftersales_warranty.tests.tools import free_port
from trytond.transaction import Transaction

ROOT = Path(__file__).resolve().parent.parent
URI = os.environ.get('TRYTOND_DATABASE_URI', 'sqlite://')
ADMIN_PASSWORD = 'admin-production'
CRON_TIMEOUT = 240
WORKER_TIMEOUT = 120
# The scheduled jobs of our modules (xml ids)
JOBS = [
    ('aftersales_repair_network', 'cron_replenish'),
    ('aftersales_service', 'cron_complaint_deadlines'),
    ('aftersales_audit', 'cron_workbook_monthly'),
    ]

pytestmark = pytest.mark.skipif(not URI.startswith('postgresql'),
    reason="several server processes share a PostgreSQL database only: "
    "run with TRYTOND_DATABASE_URI=postgresql://...")


@pytest.fixture(scope='module')
def database(config):
    "The demo database's name, its admin given ADMIN_PASSWORD"
    User = Model.get('res.user')
    admin = User(1)
    admin.password = ADMIN_PASSWORD
    admin.save()
    return config.database_name


@pytest.fixture(scope='module')
def server_conf(tmp_path_factory):
    "The configuration of the server processes: the production template"
    folder = tmp_path_factory.mktemp('production')
    return write_config(
        ROOT / 'trytond-postgresql.conf', folder / 'trytond.conf',
        database={'uri': URI, 'path': str(folder / 'filestore')},
        web={'root': ''})


@pytest.fixture(scope='module')
def servers(database, server_conf):
    "The URLs of two server processes on the database"
    logs = server_conf.parent
    with open(logs / 'a.log', 'w') as log_a, \
            open(logs / 'b.log', 'w') as log_b, \
            gunicorn(server_conf, database, log=log_a) as a, \
            gunicorn(server_conf, database, log=log_b) as b:
        yield a, b


def login(url, database, login):
    password = ADMIN_PASSWORD if login == 'admin' else USER_PASSWORD
    return Session(url, database, login, password)


def xml_id(database, module, name):
    "Return the id of the record module.name"
    with Transaction().start(database, 0, readonly=True):
        return Pool().get('ir.model.data').get_id(module, name)


def one(session, model, domain):
    ids = session.model(model, 'search', domain, 0, None, None)
    assert len(ids) == 1, (model, domain, ids)
    return ids[0]


def warranty_answer(session, product, purchase_date):
    "Return (covered, until) of a consumer's claim for product"
    answer, = check_warranty(session, product, purchase_date)['answers']
    return answer['covered'], answer['until']


def test_policy_months_seen_by_other_process(database, servers):
    """W1: a policy's months changed through one server process answer the
    warranty check of another at once"""
    a, b = servers
    admin, clerk = login(a, database, 'admin'), login(b, database, 'clerk')
    policy = one(admin, 'aftersales.warranty.policy',
        [('consumer_months', '!=', None)])
    (values,) = admin.model('aftersales.warranty.policy', 'read', [policy],
        ['consumer_months', 'lines'])
    product = admin.model('product.product', 'search',
        [('template.categories.warranty_policy', '=', policy),
            ('type', '=', 'goods')], 0, 1, None)[0]
    months = values['consumer_months']
    purchase = dt.date.today() - relativedelta(months=months + 6)
    assert warranty_answer(clerk, product, purchase) == (
        False, purchase + relativedelta(months=months))

    longer = months + 12
    admin.model('aftersales.warranty.policy', 'write', [policy], {
            'consumer_months': longer,
            'lines': [['write', values['lines'], {'months': longer}]],
            })
    assert warranty_answer(clerk, product, purchase) == (
        True, purchase + relativedelta(months=longer))


def test_user_groups_seen_by_other_process(database, servers):
    """A group given to a user, then taken back, through one server process
    opens, then closes, another's doors at once"""
    a, b = servers
    admin, clerk = login(a, database, 'admin'), login(b, database, 'clerk')
    finance = xml_id(database, 'aftersales_warranty', 'group_finance')
    settlements = 'aftersales.repair.settlement'
    with pytest.raises(RPCError) as denied:
        clerk.model(settlements, 'search', [], 0, None, None)
    assert denied.value.name == 'UserError'

    admin.model('res.user', 'write', [clerk.user_id],
        {'groups': [['add', [finance]]]})
    assert clerk.model(settlements, 'search', [], 0, None, None)

    admin.model('res.user', 'write', [clerk.user_id],
        {'groups': [['remove', [finance]]]})
    with pytest.raises(RPCError):
        clerk.model(settlements, 'search', [], 0, None, None)


def test_user_party_seen_by_other_process(database, servers):
    """An office manager moved to another office through one server process
    sees that office's returns through another at once"""
    a, b = servers
    admin = login(a, database, 'admin')
    office_a, office_b = login(a, database, 'office'), login(b, database,
        'office')
    applications = 'aftersales.rma.application'
    (user,) = admin.model('res.user', 'read', [office_b.user_id],
        ['aftersales_party'])
    before = office_b.model(applications, 'search', [], 0, None, None)
    assert before
    other = admin.model('party.party', 'search', [
            ('aftersales_role', '=', 'branch_office'),
            ('id', '!=', user['aftersales_party']),
            ], 0, 1, None)[0]

    admin.model('res.user', 'write', [office_b.user_id],
        {'aftersales_party': other})
    after = office_a.model(applications, 'search', [], 0, None, None)
    assert after != before
    assert office_b.model(applications, 'search', [], 0, None, None) == after

    admin.model('res.user', 'write', [office_b.user_id],
        {'aftersales_party': user['aftersales_party']})
    assert office_b.model(applications, 'search', [], 0, None, None) == before


def test_cron_runs_each_job_once(database, servers, server_conf):
    """With two server processes and one trytond-cron, each scheduled job
    due runs once: the servers run none, trytond-cron each once"""
    a, b = servers
    Cron = Model.get('ir.cron')
    Log = Model.get('ir.cron.log')
    crons = [Cron(xml_id(database, module, name)) for module, name in JOBS]
    now = dt.datetime.now()
    for cron in crons:
        cron.next_call = now - dt.timedelta(minutes=1)
    Cron.save(crons)

    def runs():
        return [len(Log.find([('cron', '=', c.id), ('started', '>=', now)]))
            for c in crons]

    sessions = [login(url, database, 'admin') for url in servers]
    for session in sessions:
        session.model('aftersales.rma.application', 'search', [], 0, 10, None)
    assert runs() == [0] * len(crons), "a server process ran a job"

    log = server_conf.parent / 'cron.log'
    with open(log, 'w') as output, trytond_command('trytond-cron',
            server_conf, database, log=output):
        deadline = time.monotonic() + CRON_TIMEOUT
        while not all(runs()):
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            for session in sessions:
                session.model(
                    'aftersales.rma.application', 'search', [], 0, 10, None)
            time.sleep(1)
        time.sleep(5)
        assert runs() == [1] * len(crons)
    later = [Cron(c.id).next_call for c in crons]
    assert all(n > dt.datetime.now() for n in later), later


def test_queued_settlement_run_by_worker(database, servers, server_conf):
    """N3: finance's computation of a settlement waits in the queue, shown
    as computing, until trytond-worker runs it; its new lines then show"""
    a, _ = servers
    session = login(a, database, 'finance')
    Settlement = 'aftersales.repair.settlement'
    settlement = one(session, Settlement, [('state', '=', 'draft')])

    def read():
        values, = session.model(
            Settlement, 'read', [settlement], ['queued', 'lines'])
        return values
    lines = read()['lines']
    assert lines, "the demo's draft settlement has no lines"

    session.model(Settlement, 'queue_compute', [settlement])
    time.sleep(2)
    assert read() == {'id': settlement, 'queued': 'compute', 'lines': lines}

    log = server_conf.parent / 'worker.log'
    with open(log, 'w') as output, trytond_command('trytond-worker',
            server_conf, database, log=output):
        deadline = time.monotonic() + WORKER_TIMEOUT
        while read()['queued']:
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
    computed = read()['lines']
    assert len(computed) == len(lines)
    assert not set(computed) & set(lines), "the lines were not computed"


def descendants(pid):
    "Return {pid: command line} of the processes under pid"
    table = subprocess.run(['ps', '-e', '-ww', '-o', 'pid=,ppid=,args='],
        capture_output=True, text=True, check=True).stdout
    children = {}
    for line in table.splitlines():
        child, parent, args = line.split(None, 2)
        children.setdefault(int(parent), []).append((int(child), args))
    found, parents = {}, [pid]
    while parents:
        for child, args in children.get(parents.pop(), []):
            found[child] = args
            parents.append(child)
    return found


def running(pid):
    "Tell whether the process pid runs (exists and is no zombie)"
    try:
        stat = Path(f'/proc/{pid}/stat').read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(')', 1)[1].split()[0] != 'Z'


def test_serve_postgresql_stops_on_ctrl_c(database, server_conf):
    """make serve-postgresql's script serves with gunicorn's processes,
    trytond-cron and trytond-worker, and Ctrl-C stops every one of them"""
    port = free_port()
    with open(server_conf.parent / 'serve.log', 'w') as log:
        script = subprocess.Popen([
                str(ROOT / 'scripts' / 'serve-postgresql.sh'),
                str(server_conf), database, '2', str(port)],
            env=clean_env(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        url = f'http://localhost:{port}'
        wait_answering(url, script)
        admin = login(url, database, 'admin')
        assert admin.model('aftersales.rma.application', 'search', [], 0,
            1, None)
        processes = descendants(script.pid)
        commands = ' '.join(processes.values())
        assert commands.count('gunicorn') >= 3, processes  # and 2 workers
        assert 'trytond-cron' in commands and 'trytond-worker' in commands

        script.send_signal(signal.SIGINT)
        script.wait(timeout=60)
        time.sleep(1)
        assert not [p for p in processes if running(p)], processes
    finally:
        for pid in [*descendants(script.pid), script.pid]:
            if running(pid):
                os.kill(pid, signal.SIGKILL)


def test_backup_restore(database, servers, server_conf, tmp_path):
    """The README's backup (pg_dump, the attachments folder) restored into a
    new database opens with its modules and reads back the same"""
    a, _ = servers
    admin = login(a, database, 'admin')
    applications = 'aftersales.rma.application'
    application = admin.model(applications, 'search', [], 0, 1, None)[0]
    admin.model('ir.attachment', 'create', [{
                'resource': f'{applications},{application}',
                'name': 'photo.txt', 'type': 'data',
                'data': b'a cracked lamp cap'}])
    filestore = server_conf.parent / 'filestore'
    assert any((filestore / database).rglob('*')), "no attachment file"

    def read(session):
        fields = ['rec_name', 'state', 'date', 'sender', 'lines',
            'create_date']
        attachments = session.model('ir.attachment', 'search_read',
            [('resource', '=', f'{applications},{application}')], 0, None,
            None, ['name', 'data'])
        modules = session.model('ir.module', 'search_read',
            [('state', '=', 'activated')], 0, None, [('name', 'ASC')],
            ['name'])
        return (session.model(applications, 'read', [application], fields),
            [(x['name'], x['data']) for x in attachments],
            [m['name'] for m in modules])
    original = read(admin)

    restored = f'{database}_restored'
    dump = tmp_path / f'{database}.dump'
    uri = URI.rstrip('/')
    subprocess.run(['pg_dump', '--format=custom', f'--file={dump}',
            f'--dbname={uri}/{database}'], check=True)
    subprocess.run(['createdb', f'--maintenance-db={uri}/postgres',
            restored], check=True)
    try:
        subprocess.run(['pg_restore', '--no-owner',
                f'--dbname={uri}/{restored}', str(dump)], check=True)
        shutil.copytree(filestore / database, filestore / restored)
        with open(tmp_path / 'restored.log', 'w') as log, \
                gunicorn(server_conf, restored, log=log) as url:
            assert read(login(url, restored, 'admin')) == original
    finally:
        subprocess.run(['dropdb', f'--maintenance-db={uri}/postgres',
                '--if-exists', restored], check=True)
