import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from ..claim import Answer, Claim
from ..exceptions import ClaimError
from .tools import create_party, new_company


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


def create_cfl_policy():
    """Return the CFL policy of W1, W3 and W4: the unit exchanged 12 months
    from purchase, 15 from manufacture for dealers, refused when it lights"""
    pool = Pool()
    Component = pool.get('aftersales.warranty.component')
    Policy = pool.get('aftersales.warranty.policy')
    unit, = Component.search([('code', '=', 'unit')])
    policy, = Policy.create([{
                'name': "CFL",
                'consumer_months': 12,
                'dealer_months': 15,
                'repair_fee_rate': Decimal('0.10'),
                'lines': [('create', [{'component': unit.id, 'months': 12}])],
                'criteria': [('create', [{
                                'code': 'lights',
                                'name': "Still lights",
                                'reason': "Lamp still lights",
                                }])],
                }])
    return policy


def create_products(policy, count, date_code_format=None):
    "Return count lamps of one category that policy covers"
    pool = Pool()
    Category = pool.get('product.category')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    unit, = Uom.search([('name', '=', 'Unit')])
    category, = Category.create([{
                'name': "Lamps",
                'warranty_policy': policy.id if policy else None,
                'date_code_format': date_code_format,
                'date_code_start': (
                    dt.date(2025, 4, 1) if date_code_format else None),
                }])
    templates = Template.create([{
                'name': f"Lamp {i}",
                'type': 'goods',
                'default_uom': unit.id,
                'categories': [('add', [category.id])],
                'products': [('create', [{}])],
                } for i in range(count)])
    return [t.products[0] for t in templates]


def create_product(policy, date_code_format=None):
    "Return a lamp of a category that policy covers"
    product, = create_products(policy, 1, date_code_format)
    return product


def create_lot(product, date_code):
    Lot = Pool().get('stock.lot')
    lot, = Lot.create([{
                'number': date_code, 'product': product.id,
                'date_code': date_code,
                }])
    return lot


def cause(code):
    Cause = Pool().get('aftersales.warranty.cause')
    cause, = Cause.search([('code', '=', code)])
    return cause


def create_coded_lot():
    "Return lot 260301 of a ceiling lamp: made on 2026-03-01 (date code)"
    product = create_product(create_ceiling_policy(), 'YYMMDD')
    return create_lot(product, '260301')


def ceiling_lamp_claims(causes, **values):
    """Return one claim per cause, on 2026-03-01, on a ceiling lamp bought
    on 2026-01-10"""
    product = create_product(create_ceiling_policy())
    return [Claim(
            claim_date=dt.date(2026, 3, 1), product=product,
            purchase_date=dt.date(2026, 1, 10), cause=cause_, **values)
        for cause_ in causes]


def dealer_claim(lot, purchase_date, claim_date):
    "Return a dealer's claim on lot"
    return Claim(
        claim_date=claim_date, claimant='dealer', lot=lot,
        purchase_date=purchase_date)


class AftersalesWarrantyTestCase(CompanyTestMixin, ModuleTestCase):
    "Test After-Sales Warranty module"
    module = 'aftersales_warranty'

    @with_transaction()
    def test_w1_user_damage_not_covered(self):
        "W1: a ballast crushed by the user within 12 months is not covered"
        pool = Pool()
        Policy = pool.get('aftersales.warranty.policy')
        Component = pool.get('aftersales.warranty.component')
        with new_company():
            ballast, = Component.search([('code', '=', 'ballast')])
            claim, = ceiling_lamp_claims(
                [cause('user_damage')], component=ballast)

            (answer,), = Policy.check([claim])

        self.assertFalse(answer.covered)
        self.assertEqual(answer.component, ballast)
        self.assertEqual(answer.cause, cause('user_damage'))
        self.assertIn("User damage", answer.reason)

    @with_transaction()
    def test_w1_non_quality_causes_answer_every_component(self):
        "W1: every non-quality cause answers each component not covered"
        Policy = Pool().get('aftersales.warranty.policy')
        with new_company():
            claims = ceiling_lamp_claims([cause(code) for code in [
                        'user_damage', 'installation', 'force_majeure',
                        'unknown']])

            results = Policy.check(claims)

        for claim, answers in zip(claims, results):
            self.assertEqual(len(answers), 3)
            self.assertFalse(any(a.covered for a in answers))
            self.assertTrue(all(a.cause == claim.cause for a in answers))

    @with_transaction()
    def test_w1_quality_fault_answers_on_dates(self):
        "W1: a quality fault, or no cause stated, is answered on the dates"
        Policy = Pool().get('aftersales.warranty.policy')
        with new_company():
            claims = ceiling_lamp_claims([cause('quality'), None])

            results = Policy.check(claims)

        for answers in results:
            self.assertEqual(
                [(a.component.code, a.covered, a.until) for a in answers],
                [('ballast', True, dt.date(2027, 1, 10)),
                    ('tube', True, dt.date(2026, 7, 10)),
                    ('plastic', False, None)])

    @with_transaction()
    def test_w4_claim_before_manufacture_refused(self):
        "W4: a claim dated before the lot left the factory is an error"
        Policy = Pool().get('aftersales.warranty.policy')
        with new_company():
            claim = dealer_claim(
                create_coded_lot(), dt.date(2026, 2, 1), dt.date(2026, 2, 20))

            with self.assertRaisesRegex(UserError, '260301'):
                Policy.check([claim])

    @with_transaction()
    def test_w4_claim_error_leaves_the_batch_answered(self):
        "W4: a claim before manufacture gets its error, the others answers"
        Policy = Pool().get('aftersales.warranty.policy')
        with new_company():
            lot = create_coded_lot()
            right = dealer_claim(
                lot, dt.date(2026, 3, 10), dt.date(2026, 3, 20))
            wrong = dealer_claim(
                lot, dt.date(2026, 2, 1), dt.date(2026, 2, 20))

            answers, error = Policy.answer([right, wrong])
            self.assertIsInstance(error, ClaimError)
            self.assertIn('260301', error.message)
            self.assertTrue(answers)
            self.assertTrue(all(isinstance(a, Answer) for a in answers))
            with self.assertRaisesRegex(UserError, '260301'):
                Policy.check([right, wrong])

    @with_transaction()
    def test_w4_inspection_before_manufacture_refused(self):
        "W4: an inspection dated before the lot left the factory is refused"
        Inspection = Pool().get('aftersales.warranty.inspection')
        with new_company() as company:
            lot = create_coded_lot()
            values = {
                'company': company.id,
                'date': dt.date(2026, 2, 20),
                'claimant_type': 'dealer',
                'claimant': create_party("Store").id,
                'product': lot.product.id,
                'lot': lot.id,
                }

            with self.assertRaisesRegex(UserError, '260301'):
                Inspection.create([values])
            inspection, = Inspection.create([
                    {**values, 'date': dt.date(2026, 3, 2)}])
            with self.assertRaisesRegex(UserError, '260301'):
                Inspection.write([inspection], {'date': dt.date(2026, 2, 28)})

    def registration_values(self, company, **values):
        lot = create_coded_lot()
        return {
            'company': company.id,
            'customer': create_party("Store").id,
            'product': lot.product.id,
            'lot': lot.id,
            'proof_of_purchase': "R1",
            'purchase_date': dt.date(2026, 4, 1),
            **values,
            }

    @with_transaction()
    def test_registration_purchase_date_in_future_refused(self):
        "A registration bought after today is refused on save"
        pool = Pool()
        Date = pool.get('ir.date')
        Registration = pool.get('aftersales.warranty.registration')
        with new_company() as company:
            tomorrow = Date.today() + dt.timedelta(days=1)
            values = self.registration_values(company)
            registration, = Registration.create([values])

            with self.assertRaisesRegex(UserError, 'after today'):
                Registration.create([{**values, 'purchase_date': tomorrow}])
            with self.assertRaisesRegex(UserError, 'after today'):
                Registration.write([registration], {
                        'delivery_date': tomorrow})

    def assert_registration_refused(self, message, **values):
        "A registration of values is refused with message on save"
        Registration = Pool().get('aftersales.warranty.registration')
        with new_company() as company:
            values = self.registration_values(company, **values)
            with self.assertRaisesRegex(UserError, message):
                Registration.create([values])

    @with_transaction()
    def test_registration_purchase_date_before_manufacture_refused(self):
        "A registration bought before its lot left the factory is refused"
        self.assert_registration_refused(
            '260301', purchase_date=dt.date(2026, 2, 1))

    @with_transaction()
    def test_registration_delivery_before_purchase_refused(self):
        "A registration delivered before its purchase is refused"
        self.assert_registration_refused(
            'before the purchase', delivery_date=dt.date(2026, 3, 20))

    def inspect(self, company, policy, found=(), **values):
        """Return an inspection of a consumer's lamp of policy, decided,
        with the criteria of the codes found answered yes"""
        Inspection = Pool().get('aftersales.warranty.inspection')
        inspection, = Inspection.create([{
                    'company': company.id,
                    'date': dt.date(2026, 3, 1),
                    'claimant': create_party("Store").id,
                    'product': create_product(policy).id,
                    'purchase_date': dt.date(2026, 1, 10),
                    'answers': [('create', [{
                                    'criterion': c.id,
                                    'answer': c.code in found,
                                    } for c in policy.criteria])],
                    **values,
                    }])
        Inspection.decide([inspection])
        return inspection

    @with_transaction()
    def test_w1_no_exchange_where_the_policy_grants_none(self):
        "W1: a ceiling lamp is never exchanged whole: its part is repaired"
        with new_company() as company:
            inspection = self.inspect(company, create_ceiling_policy())

        self.assertEqual(inspection.state, 'refused')
        reason, = inspection.reasons
        self.assertEqual(reason.kind, 'no_exchange')
        self.assertIn("repaired", reason.reason)

    @with_transaction()
    def test_w1_inspection_stores_the_cause_as_data(self):
        "W1: a refusal for the cause stores the cause, not a sentence"
        with new_company() as company:
            inspection = self.inspect(
                company, create_cfl_policy(), cause=cause('force_majeure').id)

        self.assertEqual(inspection.state, 'refused')
        reason, = inspection.reasons
        self.assertEqual(
            (reason.kind, reason.cause), ('cause', cause('force_majeure')))
        self.assertIn("Force majeure", reason.reason)

    @staticmethod
    def checklist(policy):
        "Return the criteria a new inspection of a product of policy lists"
        Inspection = Pool().get('aftersales.warranty.inspection')
        inspection = Inspection(product=create_product(policy))
        inspection.on_change_product()
        return [a.criterion for a in inspection.answers]

    @with_transaction()
    def test_w3_checklist_of_the_policy_active_criteria(self):
        "W3: the checklist holds the active criteria of the product's policy"
        Criterion = Pool().get('aftersales.warranty.exchange.criterion')
        with new_company():
            policy = create_cfl_policy()
            lights, = policy.criteria
            greyed, = Criterion.create([{
                        'policy': policy.id, 'code': 'greyed',
                        'name': "Tube greyed", 'reason': "Tube greyed",
                        }])
            self.assertEqual(self.checklist(policy), [lights, greyed])

            Criterion.write([greyed], {'active': False})
            self.assertEqual(self.checklist(policy), [lights])

    @with_transaction()
    def test_w2_quote_fee_rate_from_policy_only(self):
        "W2: a quote takes its fee rate from the policy, none without one"
        pool = Pool()
        Policy = pool.get('aftersales.warranty.policy')
        Quote = pool.get('aftersales.warranty.quote')
        with new_company():
            policy = create_ceiling_policy()
            Policy.write([policy], {'repair_fee_rate': Decimal('0.15')})
            quote = Quote(product=create_product(policy))
            quote.on_change_product()
            self.assertEqual(quote.fee_rate, Decimal('0.15'))

            quote.product = create_product(None)
            quote.on_change_product()
            self.assertIsNone(quote.fee_rate)
            self.assertEqual(quote.on_change_with_fee_amount(), 0)

    @with_transaction()
    def test_w2_refused_inspection_offers_repair_quote(self):
        "W2: a refused exchange offers the paid repair as a quote"
        Inspection = Pool().get('aftersales.warranty.inspection')
        with new_company() as company:
            inspection = self.inspect(
                company, create_cfl_policy(), found=['lights'])
            self.assertEqual(inspection.state, 'refused')
            self.assertEqual(
                [r.reason for r in inspection.reasons], ["Lamp still lights"])

            Inspection.create_quote([inspection])

            quote = inspection.quote
            self.assertEqual(quote.state, 'draft')
            self.assertEqual(
                (quote.customer, quote.product, quote.fee_rate),
                (inspection.claimant, inspection.product, Decimal('0.10')))
            Inspection.create_quote([inspection])
            self.assertEqual(inspection.quote, quote)

    @with_transaction()
    def test_referral_created_only_from_inspection(self):
        "W4: a referral is never created by hand: its views offer no New"
        Referral = Pool().get('aftersales.warranty.referral')
        with new_company() as company:
            product = create_product(create_cfl_policy())
            with self.assertRaisesRegex(UserError, 'inspection'):
                Referral.create([{
                            'company': company.id,
                            'claimant': create_party("Store").id,
                            'product': product.id,
                            }])

        for view_type in ['tree', 'form']:
            arch = Referral.fields_view_get(view_type=view_type)['arch']
            self.assertIn('creatable="0"', arch)

    @with_transaction()
    def test_w4_uncoded_dealer_claim_referred(self):
        "W4: an uncoded lamp claimed by a dealer opens a referral"
        with new_company() as company:
            inspection = self.inspect(
                company, create_cfl_policy(), claimant_type='dealer')

        self.assertEqual(inspection.state, 'referred')
        self.assertEqual(inspection.referral.inspection, inspection)
        self.assertTrue(inspection.referral.reason)


del ModuleTestCase
