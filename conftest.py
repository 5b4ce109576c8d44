"""Import the addons' tests under their installed names.

Each addon is installed as the package ``trytond.modules.<addon>`` mapped onto
``addons/<addon>/``. Left to itself pytest would import
``addons/<addon>/tests/test_x.py`` under a name of its own, so the test and
the module's code would see two copies of the module (and, for instance,
``assertRaises`` of an exception class would miss the one really raised).
"""
import importlib
import os
import time
from pathlib import Path

import pytest

ADDONS = Path(__file__).resolve().parent / 'addons'


def _separate_worker_databases():
    """Give each pytest-xdist worker its own test database and cache

    trytond names a PostgreSQL test database after the second it starts in,
    so two workers would share it; a cache written by two workers at once
    could be torn. Importing trytond.tests.test_tryton sets DB_NAME, and the
    controller's conftests import it before the workers start: so the
    controller notes, before any import, whether the run was given a name.
    """
    worker = os.environ.get('PYTEST_XDIST_WORKER')
    if not worker:
        os.environ.setdefault(
            'AFTERSALES_DB_NAME_GIVEN',
            '1' if os.environ.get('DB_NAME') else '')
        return
    if os.environ.get('DB_CACHE', '').startswith(('/', '.')):
        os.environ['DB_CACHE'] = os.path.join(os.environ['DB_CACHE'], worker)
    uri = os.environ.get('TRYTOND_DATABASE_URI', '')
    if (uri.startswith('postgresql')
            and not os.environ.get('AFTERSALES_DB_NAME_GIVEN')):
        os.environ['DB_NAME'] = f'test_{int(time.time())}_{worker}'


_separate_worker_databases()


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


def pytest_collection_modifyitems(config, items):
    "Keep each addon's tests on one worker (--dist loadgroup)"
    if not config.pluginmanager.hasplugin('xdist'):
        return
    for item in items:
        name = _installed_name(item.path)
        group = name.split('.')[2] if name else item.path.parent.name
        item.add_marker(pytest.mark.xdist_group(group))
