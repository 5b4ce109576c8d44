"""trytond's messages of a wrong value read in Simplified Chinese: they come
from locale/override/zh_CN.po, trytond's zh_CN.po leaving them fuzzy.

Tryton has no zh_TW: an override entry needs the other module's own row
in the language (trytond's translation_import fails without it), so these
messages stay in English in zh_TW."""
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .tools import ActivatedTestCase, load_translations

VARIABLES = {'field': "F", 'record': "R", 'model': "M", 'value': "V"}


class LocaleTestCase(ActivatedTestCase):
    module = 'aftersales_warranty'

    def written(self, code):
        "The messages of a required and of a wrong value in language code"
        with Transaction().set_context(language=code):
            return [gettext(f'ir.msg_{name}_validation_record', **VARIABLES)
                for name in ['required', 'domain']]

    @with_transaction()
    def test_validation_messages_in_chinese(self):
        Lang = Pool().get('ir.lang')
        Lang.write(Lang.search([
                    ('code', '=', 'zh_CN'), ('active', '=', False)]),
            {'active': True})
        load_translations('zh_CN', 'aftersales_warranty')
        self.assertEqual(self.written('zh_CN'), [
                '“M”的记录“R”须填写字段“F”。',
                '“M”的记录“R”中，字段“F”的值“V”不符合其取值条件。'])
