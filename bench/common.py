"""What the benchmarks share: the backends, and the runner that measures
each step in a fresh process of the benchmark's script, on a database of
its own that is dropped at the end

A benchmark script calls main(); run with a first argument starting with
'_' it is one of those child processes: it runs the step the argument
names and prints its answer as JSON. The children inherit the
environment, DB_CACHE included.

The load benchmarks call use_database before they import trytond, which
reads the database's URI and name from the environment, and serve it with
gunicorn as `make serve-postgresql` does, configured by server_config.
"""
import configparser
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URI = os.environ.get('TRYTOND_DATABASE_URI', '')
if not PG_URI.startswith('postgresql'):
    PG_URI = 'postgresql://root@127.0.0.1:5432/'
URIS = {'postgresql': PG_URI, 'sqlite': 'sqlite://'}
WORKERS = int(os.environ.get('WORKERS', os.cpu_count() or 1))
SERVER_CONF = ROOT / 'trytond-postgresql.conf'


def server_setting(section, option):
    "Return the option of section in the servers' configuration"
    config = configparser.ConfigParser(interpolation=None)
    config.read(SERVER_CONF, encoding='utf-8')
    return config.get(section, option)


class Runner:
    """Run the steps of script in child processes on the database name of
    backend; as a context manager, drop the database and remove its folder
    (SQLite's file is in it) at the end"""

    def __init__(self, script, name, backend):
        self.script = script
        self.backend = backend
        self.directory = tempfile.mkdtemp(prefix=f'bench-{name}-')
        self.env = dict(os.environ, TRYTOND_DATABASE_URI=URIS[backend],
            TRYTOND_DATABASE__PATH=self.directory,
            # the benchmarks' transactions cache as the servers' do
            TRYTOND_CACHE__MODEL=server_setting('cache', 'model'),
            DB_NAME=f'bench_{name}_{os.getpid()}')

    def __call__(self, *args):
        "Run the script with args in a fresh process; return its JSON answer"
        result = subprocess.run(
            [sys.executable, self.script, *map(str, args)],
            env=self.env, stdout=subprocess.PIPE, check=True)
        return json.loads(result.stdout or 'null')

    def set_up(self, data):
        """Run the step _setup, which creates data; print the seconds it
        took to activate the modules and to create data; return its answer"""
        setup = self('_setup')
        print(f"{self.backend}: activation {setup['activation_s']:.1f} s, "
            f"{data} in {setup['data_s']:.1f} s", flush=True)
        return setup

    def profile_and_run(self, setup, options):
        """Run the step _run on the answer of _setup, after _profile where
        the options ask for a profile; return the answer of _run"""
        setup_json = json.dumps(setup)
        if '--profile' in options:
            self('_profile', setup_json)
        return self('_run', setup_json)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.backend == 'postgresql':
            subprocess.run(
                [sys.executable, self.script, '_drop'], env=self.env)
        shutil.rmtree(self.directory)


def bench_backends(bench, args, backends=tuple(URIS)):
    """Return {backend: bench(backend, args)} for the backends, or the one
    --backend names; a backend where the benchmark fails is left out"""
    if '--backend' in args:
        backends = [args[args.index('--backend') + 1]]
    results = {}
    for backend in backends:
        try:
            results[backend] = bench(backend, args)
        except subprocess.CalledProcessError as exception:
            print(f"{backend}: does not run ({exception})")
    return results


def timings(measures, reference):
    """Return the median, the best and every time_s of the measures, and
    the ratios of the median and the best to those of the reference
    measures"""
    times = [m['time_s'] for m in measures]
    reference = [m['time_s'] for m in reference]
    median, best = statistics.median(times), min(times)
    return {'time_s': median, 'best_s': best, 'times_s': times,
        'ratio': median / statistics.median(reference),
        'best_ratio': best / min(reference)}


def machine():
    "Return the cores and the load average of the machine"
    return {'cores': os.cpu_count(), 'load_average': os.getloadavg()[0]}


def print_machine(load):
    "Print the machine's cores and load average, then the load it is given"
    figures = machine()
    print(f"{figures['cores']} cores, load average "
        f"{figures['load_average']:.2f}; {load}")


def print_table_head(title, backends, label_width, column_width):
    "Print the title of a table, then its head: a column a backend"
    print(f"\n{title}")
    print(' ' * label_width + ''.join(
            f"{b:>{column_width}}" for b in backends))


def write_results(path, results):
    "Write the results as JSON to path"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as file:
        json.dump(results, file, indent=2)
        file.write('\n')
    print(f"written {path}")


def activate(modules):
    "Activate the modules on the child's database; return the seconds taken"
    from trytond.tests.test_tryton import activate_module
    start = time.perf_counter()
    activate_module(modules)
    return time.perf_counter() - start


def start_pool():
    """Start the pool of the child's database as a server does, without the
    test mode that importing trytond's tests sets (it validates the
    function fields of every record written, which a server skips); return
    the database's name"""
    # imported first, as the tests' tools measure counts the queries with
    # import it: the test mode is left after it was set
    import trytond.tests.test_tryton  # noqa: F401
    from trytond.pool import Pool
    name = os.environ['DB_NAME']
    Pool.test = False
    Pool.start()
    Pool(name).init()
    return name


def placeholder():
    "Return the parameter marker of the child's backend"
    from trytond import backend
    return '?' if backend.name == 'sqlite' else '%s'


def clear_caches():
    "Empty the caches of the child's transaction, as a new request finds them"
    from trytond.transaction import Transaction
    for cache in Transaction().cache.values():
        cache.clear()


def measure(function, *args):
    """Call function with args on empty caches; return its result and the
    seconds and SQL queries the call took"""
    from trytond.modules.aftersales_warranty.tests.tools import (
        count_queries)
    clear_caches()
    start = time.perf_counter()
    with count_queries() as counter:
        result = function(*args)
    return result, {
        'time_s': time.perf_counter() - start, 'queries': counter.count}


def profiled(function, *args):
    """Call function with args under cProfile; return its result and its
    statistics, which print to the standard error"""
    import cProfile
    import pstats
    profiler = cProfile.Profile()
    result = profiler.runcall(function, *args)
    return result, pstats.Stats(profiler, stream=sys.stderr)


def drop():
    "Drop the PostgreSQL database of the child process"
    from trytond.tests.test_tryton import DB_NAME, drop_db
    drop_db(DB_NAME)


def main(benchmark, set_up, run):
    """Run the benchmark, given the arguments; or, in a child process, the
    step the first argument names: _setup (set_up()), _drop, or another
    (run(step, arguments)), printing its answer as JSON"""
    step, args = (sys.argv[1:2] or [''])[0], sys.argv[2:]
    if step == '_drop':
        drop()
    elif step.startswith('_'):
        result = set_up() if step == '_setup' else run(step, args)
        json.dump(result, sys.stdout, default=str)
    else:
        benchmark(sys.argv[1:])
    sys.exit(0)


def use_database(name):
    "Build and serve the database name on PostgreSQL"
    os.environ['TRYTOND_DATABASE_URI'] = PG_URI
    os.environ['DB_NAME'] = name


@contextmanager
def server_config():
    """Yield the path of a configuration of the server, from
    trytond-postgresql.conf, in a folder of its own; drop the database at
    the end"""
    from trytond.modules.aftersales_warranty.tests.servers import (
        write_config)
    from trytond.tests.test_tryton import drop_db
    try:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            yield write_config(
                SERVER_CONF, folder / 'trytond.conf',
                database={'uri': PG_URI, 'path': str(folder / 'files')},
                web={'root': ''})
    finally:
        drop_db()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]
