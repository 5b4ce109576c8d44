"""The demo database opens each menu on records to understand

The demo is built once (the demo_database fixture of conftest.py, shared
with the browser tests and cached like them); what it holds is read by a
proteus script in a process of its own, so that this test run's Tryton
configuration is left alone.
"""
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not os.environ.get('TRYTOND_DATABASE_URI', 'sqlite://').startswith(
        'sqlite'),
    reason="the demo database is built on SQLite: run once, on SQLite")

# model: its document date field (None: it has none)
DOCUMENTS = {
    'aftersales.rma.application': 'date',
    'aftersales.rma.dispute': 'raised_date',
    'aftersales.rma.carrier.claim': 'date',
    'aftersales.warranty.inspection': 'date',
    'aftersales.warranty.referral': None,
    'aftersales.warranty.quote': 'date',
    'aftersales.repair.exchange': None,
    'aftersales.repair.visit': 'date',
    'aftersales.repair.order': 'date',
    'aftersales.repair.dispute': 'date',
    'aftersales.repair.settlement': 'start_date',
    'aftersales.service.call': None,
    'aftersales.service.request': 'date',
    'aftersales.service.follow_up': 'due_date',
    'aftersales.audit.plan': 'completion_date',
    'aftersales.audit.finding': None,
    'aftersales.audit.rectification': 'date',
    }
# Repairs are done on the day (R2): their disputes follow within days;
# follow-ups fall due within days of their closed requests (C6)
RECENT = {'aftersales.repair.dispute', 'aftersales.service.follow_up'}
# Return applications that show at logistics' arrivals
ARRIVAL_STATES = {'approved', 'shipped', 'arrived', 'counted'}

SCRIPT = '''
import json, sys
from proteus import Model, config
from trytond.pyson import PYSONDecoder
config.set_trytond(database='demo', config_file=sys.argv[1])
documents = json.loads(sys.argv[2])
facts = {}
for name, date in documents.items():
    records = Model.get(name).find([])
    facts[name] = {
        'states': sorted({r.state for r in records}),
        'dates': sorted({str(getattr(r, date)) for r in records}
            if date else []),
        }
Settlement = Model.get('aftersales.repair.settlement')
latest, = Settlement.find([], order=[('start_date', 'DESC')], limit=1)
facts['settlement_total'] = str(latest.total_amount)
Line = Model.get('aftersales.rma.application.line')
facts['lines_without_lot'] = len(Line.find([('lot', '=', None)]))
Order = Model.get('aftersales.repair.order')
facts['overdue_repairs'] = [
    o.state for o in Order.find([('overdue', '=', True)])]
facts['empty_first_tabs'] = []
Action = Model.get('ir.action.act_window')
context = Model.get('res.user').get_preferences(True, {})
for action in Action.find([('res_model', 'like', 'aftersales.%')]):
    tabs = sorted(action.act_window_domains, key=lambda d: (d.sequence, d.id))
    if not tabs:
        continue
    decode = PYSONDecoder(context).decode
    domain = [decode(action.pyson_domain or '[]'),
        decode(tabs[0].domain or '[]')]
    if not Model.get(action.res_model).find(domain, limit=1):
        facts['empty_first_tabs'].append(f'{action.name}: {tabs[0].name}')
json.dump(facts, sys.stdout)
'''


@pytest.fixture(scope='module')
def demo_facts(demo_database, clean_env):
    "Return the states, dates and settlement total of the demo database"
    result = subprocess.run(
        [sys.executable, '-c', SCRIPT,
            str(demo_database / 'trytond.conf'), json.dumps(DOCUMENTS)],
        env=clean_env, cwd=ROOT, check=True, timeout=300,
        stdout=subprocess.PIPE, text=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize('model', sorted(DOCUMENTS))
def test_documents_in_several_states(demo_facts, model):
    "Each document of the after-sales menus has records in two states"
    assert len(demo_facts[model]['states']) >= 2, demo_facts[model]


def test_arrivals(demo_facts):
    "Logistics' arrivals show applications on their way and arrived"
    states = set(demo_facts['aftersales.rma.application']['states'])
    assert len(states & ARRIVAL_STATES) >= 2, states


@pytest.mark.parametrize('model', sorted(
        m for m, date in DOCUMENTS.items() if date and m not in RECENT))
def test_documents_dated_over_weeks(demo_facts, model):
    "The documents are spread over more than a week, not all dated today"
    dates = [dt.date.fromisoformat(d) for d in demo_facts[model]['dates']]
    assert max(dates) - min(dates) > dt.timedelta(days=7), dates


def test_settlement_not_nil(demo_facts):
    "The latest settlement pays rebates on the period's invoiced sales"
    assert float(demo_facts['settlement_total']) != 0


def test_return_lines_with_lots(demo_facts):
    "Every demo lamp is lot-tracked: every return line names its lot"
    assert demo_facts['lines_without_lot'] == 0


def test_overdue_repairs(demo_facts):
    "The repair promised days ago and not done is overdue, still promised"
    assert demo_facts['overdue_repairs'] == ['promised']


def test_lists_open_on_work(demo_facts):
    "Each list opens on a tab that shows records"
    assert demo_facts['empty_first_tabs'] == []
