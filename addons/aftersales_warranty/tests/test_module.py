from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class AftersalesWarrantyTestCase(CompanyTestMixin, ModuleTestCase):
    "Test After-Sales Warranty module"
    module = 'aftersales_warranty'


del ModuleTestCase
