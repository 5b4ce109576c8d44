from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class AftersalesAuditTestCase(CompanyTestMixin, ModuleTestCase):
    "Test After-Sales Audit module"
    module = 'aftersales_audit'


del ModuleTestCase
