from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class AftersalesRepairNetworkTestCase(CompanyTestMixin, ModuleTestCase):
    "Test After-Sales Repair Network module"
    module = 'aftersales_repair_network'


del ModuleTestCase
