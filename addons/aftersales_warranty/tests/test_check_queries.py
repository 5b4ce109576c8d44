import datetime as dt

from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from ..claim import Claim
from .test_module import create_cfl_policy, create_products
from .tools import (
    ActivatedTestCase, count_queries, create_party, new_company)


class WarrantyCheckQueriesTestCase(ActivatedTestCase):
    "The warranty check answers a batch of claims in constant queries"
    module = 'aftersales_warranty'

    def create_registrations(self, company, count):
        "Return count active registrations of CFL lamps, each of its own lot"
        pool = Pool()
        Lot = pool.get('stock.lot')
        Registration = pool.get('aftersales.warranty.registration')

        products = create_products(create_cfl_policy(), count, 'YYMMDD')
        lots = Lot.create([{
                    'number': f"L{i}",
                    'product': p.id,
                    'date_code': '250915',
                    } for i, p in enumerate(products)])
        customer = create_party("Store")
        registrations = Registration.create([{
                    'company': company.id,
                    'customer': customer.id,
                    'product': l.product.id,
                    'lot': l.id,
                    'proof_of_purchase': f"R{i}",
                    'purchase_date': dt.date(2026, 1, 31),
                    } for i, l in enumerate(lots)])
        Registration.activate(registrations)
        return registrations

    @staticmethod
    def claims(registrations):
        "Return a consumer's and a dealer's claim in turn, all covered"
        return [Claim(
                claim_date=dt.date(2026, 12, 1),
                claimant='dealer' if i % 2 else 'consumer',
                registration=r)
            for i, r in enumerate(registrations)]

    def count_check_queries(self, registrations):
        Policy = Pool().get('aftersales.warranty.policy')
        claims = self.claims(registrations)
        for cache in Transaction().cache.values():
            cache.clear()
        with count_queries() as counter:
            results = Policy.check(claims)
        self.assertEqual(len(results), len(claims))
        self.assertTrue(all(a.covered for answers in results for a in answers))
        return counter.count

    @with_transaction()
    def test_w1_w4_check_queries_do_not_grow_with_claims(self):
        "W1, W4: checking 200 claims costs the queries of checking 10"
        with new_company() as company:
            registrations = self.create_registrations(company, 201)
            self.count_check_queries(registrations[-1:])  # warm the caches
            registrations = registrations[:-1]
            few = self.count_check_queries(registrations[:10])
            many = self.count_check_queries(registrations)
        self.assertGreater(few, 0)
        self.assertEqual(few, many)


    @with_transaction()
    def test_w1_answers_follow_the_languages_date_format(self):
        "W1: the answers write their dates as the language does, changed"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Policy = pool.get('aftersales.warranty.policy')
        with new_company() as company:
            registrations = self.create_registrations(company, 1)
            (before, *_), = Policy.check(self.claims(registrations))
            Lang.write([Lang.get()], {'date': '%Y.%m.%d'})
            (after, *_), = Policy.check(self.claims(registrations))
        self.assertNotRegex(before.reason, r'\d{4}\.\d\d\.\d\d')
        self.assertRegex(after.reason, r'\d{4}\.\d\d\.\d\d')
