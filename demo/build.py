#!/usr/bin/env python3
"""Build a demo database of the after-sales suite

Creates the database (admin password from --password, no prompt), activates
every addon under addons/ with its dependencies, loads the zh_CN and zh_TW
translations (aftersales_warranty creates the zh_TW language, which Tryton
lacks), marks the module configuration wizard done, then runs the
``build(data, config)`` function of each addon's ``tests/demo.py`` (in
dependency order, so later modules add to what earlier ones made).

    python demo/build.py -c var/trytond.conf -d demo [--reset]

The configuration file decides the backend and where the database goes (its
paths must be absolute; make writes var/trytond.conf so); the TRYTOND_*
variables of the environment are ignored, except the e-mail server's
(TRYTOND_EMAIL__URI, which scripts/demo_mailbox.py sets). Used by ``make
demo`` and by the browser test, which builds its own database in a
temporary folder.
"""
import argparse
import configparser
import datetime as dt
import importlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ['zh_CN', 'zh_TW']


def addon_depends(module):
    "Return the modules an addon's tryton.cfg depends on"
    parser = configparser.ConfigParser()
    parser.read(ROOT / 'addons' / module / 'tryton.cfg', encoding='utf-8')
    return set(parser.get('tryton', 'depends', fallback='').split())


def addons():
    "Return the addons under addons/, each after those it depends on"
    depends = {cfg.parent.name: addon_depends(cfg.parent.name)
        for cfg in sorted(ROOT.glob('addons/*/tryton.cfg'))}
    order = []

    def visit(name, path):
        if name in order or name in path:
            return
        for dependency in sorted(depends[name] & depends.keys()):
            visit(dependency, path | {name})
        order.append(name)
    for name in sorted(depends):
        visit(name, frozenset())
    return order


def log(start, message):
    print(f'[{time.monotonic() - start:6.1f}s] {message}', flush=True)


def trytond_admin(conf, database, *args, env=None):
    command = [
        str(Path(sys.executable).parent / 'trytond-admin'),
        '-c', str(conf), '-d', database, *args]
    subprocess.run(command, check=True, env=env, cwd=ROOT)


def create_database(database, reset):
    "Create the empty database; return False when it exists and not reset"
    from trytond import backend
    from trytond.config import get
    from trytond.transaction import Transaction

    if backend.name == 'sqlite':
        path = Path(get('database', 'path'))
        path.mkdir(parents=True, exist_ok=True)
        file = path / f'{database}.sqlite'
        if file.exists():
            if not reset:
                return False
            drop_database(database)
        file.touch()
    else:
        with Transaction().start(
                None, 0, close=True, autocommit=True) as transaction:
            exists = database in transaction.database.list()
            if exists and not reset:
                return False
            if exists:
                transaction.database.drop(transaction.connection, database)
            transaction.database.create(transaction.connection, database)
    return True


def drop_database(database):
    from trytond import backend
    from trytond.config import get
    from trytond.transaction import Transaction

    if backend.name == 'sqlite':
        file = Path(get('database', 'path')) / f'{database}.sqlite'
        for name in [file] + [Path(f'{file}{s}') for s in ['-wal', '-shm']]:
            name.unlink(missing_ok=True)
    else:
        backend.Database(database).close()
        with Transaction().start(
                None, 0, close=True, autocommit=True) as transaction:
            transaction.database.drop(transaction.connection, database)


def finish_module_configuration(config):
    "Mark the module configuration wizard done, or the menu stays empty"
    from proteus import Model
    Item = Model.get('ir.module.config_wizard.item', config=config)
    items = Item.find([('state', '!=', 'done')])
    for item in items:
        item.state = 'done'
    Item.save(items)


def build_data(config, modules, today=None):
    data = {}
    if today:
        data['today'] = today
    for module in modules:
        try:
            demo = importlib.import_module(
                f'trytond.modules.{module}.tests.demo')
        except ModuleNotFoundError as exception:
            if exception.name != f'trytond.modules.{module}.tests.demo':
                raise
            continue
        if hasattr(demo, 'build'):
            demo.build(data, config=config)
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '-c', '--config', default=str(ROOT / 'var' / 'trytond.conf'),
        help="trytond configuration file (default: %(default)s)")
    parser.add_argument(
        '-d', '--database', default='demo',
        help="database name (default: %(default)s)")
    parser.add_argument(
        '--reset', action='store_true',
        help="drop the database first when it exists")
    parser.add_argument('--password', default='admin',
        help="admin password (default: %(default)s)")
    parser.add_argument('--email', default='admin@example.com',
        help="admin e-mail (default: %(default)s)")
    parser.add_argument('--today', type=dt.date.fromisoformat,
        help="the demo's reference date (default: today)")
    parser.add_argument('-m', '--modules', nargs='+', metavar='MODULE',
        help="addons to activate, with the addons they depend on "
        "(default: all of addons/)")
    parser.add_argument('--no-data', action='store_true',
        help="stop before the demo data (an empty, configured database)")
    parser.add_argument('--step', choices=['data'],
        help=argparse.SUPPRESS)
    args = parser.parse_args()

    start = time.monotonic()
    modules = addons()
    if args.modules:
        wanted = set(args.modules)
        for module in reversed(modules):
            if module in wanted:
                wanted |= addon_depends(module)
        modules = [m for m in modules if m in wanted]
    conf = Path(args.config).resolve()
    os.chdir(ROOT)
    # The configuration file decides the backend, whatever the environment
    env = {k: v for k, v in os.environ.items()
        if (not k.startswith('TRYTOND_') or k.startswith('TRYTOND_EMAIL__'))
        and k not in {'DB_NAME', 'DB_CACHE'}}
    for key in set(os.environ) - set(env):
        del os.environ[key]
    os.environ['TRYTOND_CONFIG'] = str(conf)

    if args.step:
        # A step runs in a process of its own, on the database as the
        # previous steps left it.
        from proteus import config as pconfig
        import trytond.config as tconfig
        config = pconfig.set_trytond(
            database=args.database, config_file=str(conf))
        # No trytond-worker runs during the build, whatever the
        # configuration says: the tasks the demo queues (a sale's
        # processing, a settlement's computation) run after each call
        tconfig.set('queue', 'worker', 'False')
        finish_module_configuration(config)
        if not args.no_data:
            build_data(config, modules, args.today)
        return

    from trytond.config import update_etc
    update_etc(str(conf))
    if not create_database(args.database, args.reset):
        sys.exit(f"Database {args.database!r} exists: use --reset to "
            "build it again.")
    step = [sys.executable, __file__, '-c', str(conf), '-d', args.database,
        '-m', *modules]
    try:
        with tempfile.NamedTemporaryFile('w', suffix='.pass') as passfile:
            passfile.write(args.password + '\n')
            passfile.flush()
            log(start, f"create database {args.database!r}")
            trytond_admin(conf, args.database,
                '--all', '--email', args.email, '-l', 'zh_CN',
                env=dict(env, TRYTONPASSFILE=passfile.name))
        log(start, f"activate {', '.join(modules)}")
        trytond_admin(conf, args.database,
            '-u', *modules, '--activate-dependencies', '-l', *LANGUAGES,
            env=env)
        log(start, "demo data")
        subprocess.run(step + ['--step', 'data'] + (
                ['--today', args.today.isoformat()] if args.today else [])
            + (['--no-data'] if args.no_data else []),
            check=True, env=env)
    except BaseException:
        log(start, f"failed: dropping {args.database!r}")
        drop_database(args.database)
        raise
    log(start, f"database {args.database!r} ready")


if __name__ == '__main__':
    main()
