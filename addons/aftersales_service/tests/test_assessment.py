import datetime as dt

from trytond.modules.aftersales_warranty.tests.tools import (
    ActivatedTestCase, count_queries, create_party, new_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from .test_complaint import create_complaint
from .test_follow_up import create_employee, create_requests

START = dt.datetime(2026, 5, 4, 9, 0)


def close_visits(requests, technician, scores, late=0):
    """Create one closed visit of technician per request, scored scores;
    the last late ones are closed after their appointment"""
    Visit = Pool().get('aftersales.service.request.visit')
    attitude, skill, punctuality, result = scores
    count = len(requests)
    return Visit.create([{
                'request': r.id,
                'technician': technician.id,
                'appointment_start': START,
                'appointment_end': START + dt.timedelta(hours=2),
                'outcome': 'repaired',
                'done_at': START + dt.timedelta(
                    hours=3 if i >= count - late else 1),
                'attitude': attitude,
                'skill': skill,
                'punctuality': punctuality,
                'result': result,
                'called_at': START + dt.timedelta(days=1),
                } for i, r in enumerate(requests)])


def complain(company, employee, count, date=dt.date(2026, 5, 6)):
    "Record count service-quality complaints against employee"
    for _ in range(count):
        create_complaint(company, date=date, complaint_class='service',
            employee=employee)


class AssessmentTestCase(ActivatedTestCase):
    "The monthly staff assessment"
    module = 'aftersales_service'

    @with_transaction()
    def test_c13_monthly_figures(self):
        "C13: services, on-time rate, satisfaction, complaints per month"
        Assessment = Pool().get('aftersales.service.assessment')
        with new_company() as company:
            zhou = create_employee(company, "Zhou Qiang")
            sun = create_employee(company, "Sun Li")
            customer = create_party("Wang Fang")
            close_visits(create_requests(company, customer, 4), zhou,
                (5, 5, 4, 4), late=1)
            close_visits(create_requests(company, customer, 1), sun,
                (3, 3, 3, 3))
            complain(company, zhou, 2)
            complain(company, sun, 1, date=dt.date(2026, 6, 1))
            figures = {(a.employee.party.name, a.year, a.month): (
                    a.services, a.on_time_rate, a.satisfaction, a.complaints)
                for a in Assessment.search([])}
            self.assertEqual(figures, {
                    ("Zhou Qiang", 2026, 5): (4, 0.75, 4.5, 2),
                    ("Sun Li", 2026, 5): (1, 1.0, 3.0, 0),
                    ("Sun Li", 2026, 6): (0, None, None, 1),
                    })

    @with_transaction()
    def test_c13_queries_do_not_grow(self):
        "C13: N visits and complaints cost the same number of queries"
        Assessment = Pool().get('aftersales.service.assessment')
        names = ['employee', 'services', 'on_time_rate', 'satisfaction',
            'complaints']
        counts = []
        with new_company() as company:
            customer = create_party("Wang Fang")
            for size in [2, 20]:
                technician = create_employee(company, f"Technician {size}")
                close_visits(create_requests(company, customer, size),
                    technician, (4, 4, 4, 4))
                complain(company, technician, size)
                Assessment.read([a.id for a in Assessment.search([])], [])
                with count_queries() as counter:
                    Assessment.read(
                        [a.id for a in Assessment.search([])], names)
                counts.append(counter.count)
        self.assertEqual(counts[0], counts[1])
