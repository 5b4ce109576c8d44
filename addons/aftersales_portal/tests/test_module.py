from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class AftersalesPortalTestCase(CompanyTestMixin, ModuleTestCase):
    "Test After-Sales Portal module"
    module = 'aftersales_portal'


del ModuleTestCase
