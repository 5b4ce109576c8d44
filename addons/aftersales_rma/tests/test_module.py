from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class AftersalesRmaTestCase(CompanyTestMixin, ModuleTestCase):
    "Test After-Sales Returns module"
    module = 'aftersales_rma'


del ModuleTestCase
