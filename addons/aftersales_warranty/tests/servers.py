"""Real server processes for the production tests and the load benchmark

A configuration written from a template (trytond-postgresql.conf), gunicorn
serving trytond.application:app on a free loopback port, trytond-cron, and a
JSON-RPC session talking to a server as the web client does.
"""
import base64
import configparser
import datetime as dt
import http.client
import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from .tools import free_port

BIN = Path(sys.executable).parent
START_TIMEOUT = 180


def clean_env(**variables):
    """The environment without the test run's Tryton settings, plus
    variables"""
    env = {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_') and k not in {'DB_NAME', 'DB_CACHE'}}
    env.update(variables)
    return env


def write_config(template, path, **sections):
    """Write to path the configuration template with the options of
    sections ({section: {option: value}}) set; return path"""
    config = configparser.ConfigParser(interpolation=None)
    config.read(template, encoding='utf-8')
    config.read_dict(sections)
    with open(path, 'w', encoding='utf-8') as file:
        config.write(file)
    return path


def stop(process, timeout=30):
    "Stop process and its children (its session) and wait for it"
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def gunicorn(conf, database, workers=1, log=None):
    """Serve database with gunicorn (workers processes) configured by conf,
    until the context ends; yield its base URL once it answers"""
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / 'gunicorn'), '--workers', str(workers),
            '--bind', f'127.0.0.1:{port}', '--timeout', '120',
            '--no-control-socket', 'trytond.application:app'],
        env=clean_env(TRYTOND_CONFIG=str(conf),
            TRYTOND_DATABASE_NAMES=database),
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f'http://127.0.0.1:{port}'
    try:
        wait_answering(url, process)
        yield url
    finally:
        stop(process)


def wait_answering(url, process):
    "Wait until the server process started serves url"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            call(url, '', 'common.server.version')
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"no server answers on {url} (exit "
                    f"status {process.poll()})")
            time.sleep(0.2)


@contextmanager
def trytond_command(command, conf, database, log=None):
    """Run the trytond command (trytond-cron, trytond-worker) on database
    until the context ends; yield its process"""
    process = subprocess.Popen(
        [str(BIN / command), '-c', str(conf), '-d', database],
        env=clean_env(), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        yield process
    finally:
        stop(process)


class RPCError(Exception):
    "The error a server answered: the exception's name and its arguments"

    def __init__(self, error):
        super().__init__(error)
        self.name, self.args_ = error[0], error[1]


def call(url, database, method, *params, auth=None, timeout=60):
    """Call method with params on the server at url (on database, or the
    server itself when database is empty); return its result or raise
    RPCError"""
    host_port = url.split('://', 1)[1]
    connection = http.client.HTTPConnection(host_port, timeout=timeout)
    try:
        headers = {'Content-Type': 'application/json'}
        if auth:
            headers['Authorization'] = auth
        body = json.dumps(
            {'id': 0, 'method': method, 'params': list(params)},
            default=_json_default)
        connection.request(
            'POST', f'/{database}/rpc/' if database else '/rpc/', body,
            headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RPCError([f'HTTP {response.status}', data.decode()[:200]])
    answer = json.loads(data, object_hook=_json_object)
    if answer.get('error'):
        raise RPCError(answer['error'])
    return answer['result']


def _json_default(value):
    "Encode dates and bytes as trytond's JSON-RPC does"
    if isinstance(value, dt.date):
        return {'__class__': 'date', 'year': value.year,
            'month': value.month, 'day': value.day}
    if isinstance(value, bytes):
        return {'__class__': 'bytes',
            'base64': base64.b64encode(value).decode()}
    raise TypeError(f"{value!r} is not JSON serializable")


def _json_object(value):
    "Decode trytond's dates, time stamps, decimals and bytes"
    kind = value.get('__class__')
    if kind == 'date':
        return dt.date(value['year'], value['month'], value['day'])
    if kind == 'datetime':
        return dt.datetime(value['year'], value['month'], value['day'],
            value['hour'], value['minute'], value['second'],
            value['microsecond'])
    if kind == 'Decimal':
        return Decimal(value['decimal'])
    if kind == 'bytes':
        return base64.b64decode(value['base64'])
    return value


class Session:
    "A user logged in on a server, calling it over JSON-RPC"

    def __init__(self, url, database, login, password):
        self.url, self.database = url, database
        user_id, key, _ = call(url, database, 'common.db.login',
            login, {'password': password}, 'en')
        self.user_id = user_id
        self.auth = 'Session ' + base64.b64encode(
            f'{login}:{user_id}:{key}'.encode()).decode()
        self.context = self('model.res.user.get_preferences', True, {})

    def __call__(self, method, *params):
        return call(self.url, self.database, method, *params, auth=self.auth)

    def model(self, name, method, *params):
        "Call method of the model name with params and the user's context"
        return self(f'model.{name}.{method}', *params, self.context)


def check_warranty(session, product, purchase_date, claimant='consumer'):
    """Run the warranty check wizard as session's user for a claim of
    claimant on product bought on purchase_date; return the result's
    values (the answers among them)"""
    name = 'wizard.aftersales.warranty.check'
    context = session.context
    session_id, _, _ = session(f'{name}.create', context)
    try:
        defaults = session(f'{name}.execute', session_id, {}, 'start',
            context)['view']['defaults']
        # without the names of the records ('cause.'), which are no fields
        start = {k: v for k, v in defaults.items() if '.' not in k}
        start.update(product=product, purchase_date=purchase_date,
            claimant=claimant)
        return session(f'{name}.execute', session_id, {'start': start},
            'result', context)['view']['defaults']
    finally:
        session(f'{name}.delete', session_id, context)
