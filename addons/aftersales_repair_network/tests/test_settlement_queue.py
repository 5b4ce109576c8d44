"The settlement's buttons queue its work (issue 15)"
import datetime as dt

from trytond.modules.aftersales_warranty.tests.tools import (
    ActivatedTestCase, new_company, run_queued_tasks)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from ..exceptions import SettlementError
from .test_module import create_rebated_offices, create_rerun

START, END = dt.date(2025, 1, 1), dt.date(2025, 3, 31)


class SettlementQueueTestCase(ActivatedTestCase):
    "Compute and Settle through Tryton's queue"
    module = 'aftersales_repair_network'
    extras = ['aftersales_rma']

    @with_transaction()
    def test_compute_shows_queued_until_the_queue_runs_it(self):
        """N3: Compute marks the settlement queued; the queued task lists
        the parties another settlement pays and clears the mark"""
        Settlement = Pool().get('aftersales.repair.settlement')
        with new_company() as company:
            store, = create_rebated_offices(company, ["Tianhe Store"], START)
            first, rerun = create_rerun(company, store, START, END)

            Settlement.queue_compute([rerun])
            self.assertEqual((rerun.queued, rerun.skipped), ('compute', ()))

            self.assertEqual(run_queued_tasks(), 1)
            rerun = Settlement(rerun.id)
            self.assertEqual(rerun.queued, None)
            skipped, = rerun.skipped
            self.assertEqual(
                (skipped.party, skipped.other_settlement), (store, first))

    @with_transaction()
    def test_cancelled_while_queued_is_left_alone(self):
        "A settlement cancelled before its queued computation stays empty"
        Settlement = Pool().get('aftersales.repair.settlement')
        with new_company() as company:
            store, = create_rebated_offices(company, ["Tianhe Store"], START)
            _, rerun = create_rerun(company, store, START, END)

            Settlement.queue_compute([rerun])
            Settlement.cancel([rerun])
            self.assertEqual(run_queued_tasks(), 1)
            rerun = Settlement(rerun.id)
            self.assertEqual(
                (rerun.state, rerun.queued, rerun.skipped),
                ('cancelled', None, ()))

    @with_transaction()
    def test_settle_refused_at_once(self):
        """N3: Settle refuses a settlement that pays nothing in the
        request, before anything is queued"""
        Settlement = Pool().get('aftersales.repair.settlement')
        with new_company() as company:
            store, = create_rebated_offices(company, ["Tianhe Store"], START)
            _, rerun = create_rerun(company, store, START, END)
            Settlement.compute([rerun])

            with self.assertRaises(SettlementError):
                Settlement.queue_settle([rerun])
            self.assertEqual((rerun.state, rerun.queued), ('draft', None))
            self.assertEqual(run_queued_tasks(), 0)
