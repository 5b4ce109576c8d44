import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from ..claim import Claim


def create_ceiling_policy():
    "Return the ceiling lamp policy of W1: ballast 12, tube 6, plastic none"
    pool = Pool()
    Component = pool.get('aftersales.warranty.component')
    Policy = pool.get('aftersales.warranty.policy')
    components = {c.code: c for c in Component.search([])}
    policy, = Policy.create([{
                'name': "Ceiling Lamps",
                'repair_fee_rate': Decimal('0.10'),
                'lines': [('create', [
                            {'component': components['ballast'].id,
                                'months': 12},
                            {'component': components['tube'].id,
                                'months': 6},
                            {'component': components['plastic'].id,
                                'covered': False},
                            ])],
                }])
    return policy


def create_product(policy, date_code_format=None):
    "Return a lamp of a category that policy covers"
    pool = Pool()
    Category = pool.get('product.category')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    unit, = Uom.search([('name', '=', 'Unit')])
    category, = Category.create([{
                'name': "Lamps",
                'warranty_policy': policy.id,
                'date_code_format': date_code_format,
                'date_code_start': (
                    dt.date(2025, 4, 1) if date_code_format else None),
                }])
    template, = Template.create([{
                'name': "Lamp",
                'type': 'goods',
                'default_uom': unit.id,
                'categories': [('add', [category.id])],
                'products': [('create', [{}])],
                }])
    return template.products[0]


def cause(code):
    Cause = Pool().get('aftersales.warranty.cause')
    cause, = Cause.search([('code', '=', code)])
    return cause


class AftersalesWarrantyTestCase(CompanyTestMixin, ModuleTestCase):
    "Test After-Sales Warranty module"
    module = 'aftersales_warranty'

    @with_transaction()
    def test_w1_user_damage_not_covered(self):
        "W1: a ballast crushed by the user within 12 months is not covered"
        pool = Pool()
        Policy = pool.get('aftersales.warranty.policy')
        Component = pool.get('aftersales.warranty.component')
        company = create_company()
        with set_company(company):
            product = create_product(create_ceiling_policy())
            ballast, = Component.search([('code', '=', 'ballast')])
            claim = Claim(
                claim_date=dt.date(2026, 3, 1), product=product,
                purchase_date=dt.date(2026, 1, 10), component=ballast,
                cause=cause('user_damage'))

            (answer,), = Policy.check([claim])

        self.assertFalse(answer.covered)
        self.assertEqual(answer.component, ballast)
        self.assertEqual(answer.cause, cause('user_damage'))
        self.assertIn("User damage", answer.reason)

    @with_transaction()
    def test_w1_non_quality_causes_answer_every_component(self):
        "W1: every non-quality cause answers each component not covered"
        Policy = Pool().get('aftersales.warranty.policy')
        company = create_company()
        with set_company(company):
            product = create_product(create_ceiling_policy())
            claims = [Claim(
                    claim_date=dt.date(2026, 3, 1), product=product,
                    purchase_date=dt.date(2026, 1, 10), cause=cause(code))
                for code in ['user_damage', 'installation',
                    'force_majeure', 'unknown']]

            results = Policy.check(claims)

        for claim, answers in zip(claims, results):
            self.assertEqual(len(answers), 3)
            self.assertFalse(any(a.covered for a in answers))
            self.assertTrue(all(a.cause == claim.cause for a in answers))

    @with_transaction()
    def test_w1_quality_fault_answers_on_dates(self):
        "W1: a quality fault, or no cause stated, is answered on the dates"
        Policy = Pool().get('aftersales.warranty.policy')
        company = create_company()
        with set_company(company):
            product = create_product(create_ceiling_policy())
            claims = [Claim(
                    claim_date=dt.date(2026, 3, 1), product=product,
                    purchase_date=dt.date(2026, 1, 10), cause=cause_)
                for cause_ in [cause('quality'), None]]

            results = Policy.check(claims)

        for answers in results:
            self.assertEqual(
                [(a.component.code, a.covered, a.until) for a in answers],
                [('ballast', True, dt.date(2027, 1, 10)),
                    ('tube', True, dt.date(2026, 7, 10)),
                    ('plastic', False, None)])


del ModuleTestCase
