"""Every scheduled job of the after-sales modules, run twice for the same
period, changes nothing the second time

Each job runs as trytond-cron runs it (ir.cron's run_once, as user 0, its
transaction committed) on the demo database of tests/conftest.py (the
config fixture), its e-mail sent to a real SMTP server on the loopback.
Before each job the test makes sure its first run has work to do; after
each run it counts the records of every table of the after-sales modules
and of the tables the jobs write to (with the latest creation or change
of each), the attachments and the e-mails.
"""
import datetime as dt

import pytest

from trytond.modules.aftersales_service.tests.test_complaint import (
    create_complaint)
from trytond.modules.aftersales_warranty.tests.tools import (
    run_committed, snapshot, start_smtp_server)
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction
from trytond.worker import run_task


def prepare_workbook(pool):
    """The previous month has no workbook yet: the first run writes and
    e-mails it"""
    Date = pool.get('ir.date')
    Workbook = pool.get('aftersales.report.workbook')
    end = Date.today().replace(day=1)
    Workbook.delete(Workbook.search([('start_date', '<', end)]))


def prepare_replenishment(pool):
    """An approved point with no requisition open holds a part below its
    safety quantity: the first run proposes its replenishment"""
    Part = pool.get('aftersales.repair.point.part')
    Point = pool.get('aftersales.repair.point')
    Requisition = pool.get('aftersales.repair.requisition')
    pending = {r.point for r in Requisition.search([
                ('state', 'in', ['draft', 'requested', 'approved'])])}
    point = next(p for p in Point.search(
            [('state', '=', 'approved')], order=[('id', 'ASC')])
        if p not in pending and p.parts)
    part = point.parts[0]
    quantity = Part.on_hand([part])[part.id]
    part.safety_quantity = quantity + 1
    part.initial_quantity = max(part.initial_quantity, quantity + 1)
    part.save()


def prepare_deadlines(pool):
    """A complaint received a month ago is not answered: the first run
    reminds its responsible, who reads e-mail"""
    Company = pool.get('company.company')
    Date = pool.get('ir.date')
    User = pool.get('res.user')
    company, = Company.search([], order=[('id', 'ASC')], limit=1)
    user, = User.search([('login', '=', 'admin')])
    user.email = 'admin@example.com'
    user.save()
    create_complaint(company, date=Date.today() - dt.timedelta(days=30),
        responsible=user)


# job: (rule, prepare, {model: records the first run adds at least},
# e-mails the first run sends at least)
JOBS = {
    'aftersales.report.workbook|generate_monthly': (
        'C10', prepare_workbook,
        {'aftersales.report.workbook': 1, 'ir.attachment': 1}, 1),
    'aftersales.repair.point|replenish': (
        'C8', prepare_replenishment,
        {'aftersales.repair.requisition': 1}, 0),
    'sale.complaint|notify_deadlines': (
        'C11', prepare_deadlines, {'ir.trigger.log': 1}, 1),
    }


@pytest.fixture
def smtp(request):
    "The SMTP server receiving the jobs' e-mail"
    class Test:
        @staticmethod
        def addCleanup(function, *args):
            request.addfinalizer(lambda: function(*args))
    return start_smtp_server(Test, 'aftersales@example.com')


def run_job(method):
    """Run the job of method as trytond-cron does, then the tasks it queued,
    each in a transaction of its own"""
    def job(pool):
        Cron = pool.get('ir.cron')
        cron, = Cron.search([('method', '=', method)])
        with Transaction().set_context(_cron=method):
            Cron.run_once([cron])
    tasks = Transaction().tasks
    tasks.clear()
    run(0, job, {'_skip_warnings': True})
    while tasks:
        run_task(DB_NAME, tasks.pop())


def run(user, function, context=None):
    return run_committed(DB_NAME, user, function, context)


def our_jobs(pool):
    "Return the methods of the scheduled jobs the after-sales modules ship"
    ModelData = pool.get('ir.model.data')
    Cron = pool.get('ir.cron')
    return {c.method for c in Cron.browse([d.db_id for d in ModelData.search([
                        ('module', 'like', 'aftersales_%'),
                        ('model', '=', 'ir.cron'),
                        ])])}


def test_every_job_in_table(config):
    "Every scheduled job of the after-sales modules is in JOBS"
    assert run(1, our_jobs) == set(JOBS)


@pytest.mark.parametrize('method', sorted(JOBS))
def test_job_twice_changes_nothing(config, smtp, method):
    """C8, C10, C11: the second run of a job for the same period creates,
    changes, attaches and sends nothing"""
    rule, prepare, added, sent = JOBS[method]
    context = dict(config.context)
    run(config.user, prepare, context)
    before = run(0, snapshot)

    run_job(method)
    first = run(0, snapshot)
    sent_first = len(smtp.messages)
    assert sent_first >= sent, rule
    for model, count in added.items():
        assert first[model][0] - before[model][0] >= count, (rule, model)

    run_job(method)
    second = run(0, snapshot)
    assert len(smtp.messages) == sent_first, rule
    assert {m: v for m, v in second.items() if v != first[m]} == {}, rule
