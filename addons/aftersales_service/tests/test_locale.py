"""The complaint form and list read in Chinese, sale_complaint's own strings
included: those come from locale/override/<lang>.po (sale_complaint leaves
its zh_CN strings empty, fuzzy or in English and has no zh_TW at all).

The form's buttons of sale_complaint take their labels from the view
(view/complaint_form.xml): their ir.model.button records cannot be
translated into zh_TW (an override needs sale_complaint's own zh_TW rows).
Texts are compared with the English ones: fields_get strings, helps and
selections, and every string/help/confirm of the arch, nested views
included."""
import importlib
import pathlib
import re

import polib
from lxml import etree

from trytond.modules.aftersales_warranty.tests.tools import (
    ActivatedTestCase, load_translations)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

# In dependency order: the zh_CN override replaces sale_complaint's own
# translations, which must be loaded first
MODULES = [
    'company', 'sale', 'account_invoice', 'sale_complaint',
    'aftersales_warranty', 'aftersales_rma', 'aftersales_service']
LATIN = re.compile('[A-Za-z]')
# Read the same in Chinese
UNIVERSAL = {'ID'}
# Element attributes a user reads
ATTRIBUTES = ['string', 'help', 'confirm']


def locale_folder(module):
    return pathlib.Path(importlib.import_module(
            f'trytond.modules.{module}').__file__).parent / 'locale'


def view_strings(model, view_type, language):
    "Return {key: text} of what the view of model shows a user in language"
    with Transaction().set_context(language=language):
        view = Pool().get(model).fields_view_get(view_type=view_type)
    return definition_strings(model, view)


def definition_strings(prefix, view):
    strings = {}
    tree = etree.fromstring(view['arch'])
    for element in tree.iter():
        for attribute in ATTRIBUTES:
            if element.get(attribute):
                key = (prefix, tree.getroottree().getpath(element), attribute)
                strings[key] = element.get(attribute)
    for name, field in view['fields'].items():
        for attribute in ['string', 'help']:
            if field.get(attribute):
                strings[prefix, name, attribute] = field[attribute]
        if isinstance(field.get('selection'), list):
            for value, label in field['selection']:
                if label:
                    strings[prefix, name, 'selection', value] = label
        for view_type, sub_view in field.get('views', {}).items():
            strings.update(definition_strings(
                    f'{prefix}.{name}[{view_type}]', sub_view))
    return strings


def untranslated(model, view_type, language):
    "Return the texts of the view that read the same as in English"
    english = view_strings(model, view_type, 'en')
    local = view_strings(model, view_type, language)
    return sorted(
        (key, text) for key, text in english.items()
        if LATIN.search(text) and text not in UNIVERSAL
        and local.get(key) == text)


class ComplaintLocaleTestCase(ActivatedTestCase):
    "sale_complaint's strings in the complaint views, in zh_CN and zh_TW"
    module = 'aftersales_service'
    maxDiff = None

    def assert_views_translated(self, language):
        load_translations(language, *MODULES)
        for view_type in ['form', 'tree']:
            with self.subTest(view_type=view_type):
                english = untranslated('sale.complaint', view_type, language)
                self.assertEqual(english, [], (
                        f"{len(english)} {view_type} strings in English"))

    @with_transaction()
    def test_complaint_views_zh_cn(self):
        "the complaint form and list show no English in zh_CN"
        self.assert_views_translated('zh_CN')

    @with_transaction()
    def test_complaint_views_zh_tw(self):
        "the complaint form and list show no English in zh_TW"
        self.assert_views_translated('zh_TW')

    @with_transaction()
    def test_buttons_zh_cn(self):
        "the button records of sale_complaint read in zh_CN too"
        pool = Pool()
        Button = pool.get('ir.model.button')
        load_translations('zh_CN', *MODULES)
        with Transaction().set_context(language='zh_CN'):
            buttons = Button.search([('model', '=', 'sale.complaint')])
            english = [b.name for b in buttons if LATIN.search(b.string)]
        self.assertEqual(english, [])


def test_override_entries_exist():
    """Each override entry is a string of sale_complaint (or of the company
    employees the form lists), translated; only zh_CN overrides
    sale_complaint's records (a record entry needs sale_complaint's
    translation row of the language, which zh_TW lacks: a module update
    would fail)"""
    own = {(e.msgctxt, e.msgid) for module in ['sale_complaint', 'company']
        for e in polib.pofile(str(locale_folder(module) / 'zh_CN.po'))}
    override = locale_folder('aftersales_service') / 'override'
    for lang in ['zh_CN', 'zh_TW']:
        for entry in polib.pofile(str(override / f'{lang}.po')):
            assert entry.msgstr and 'fuzzy' not in entry.flags, entry.msgctxt
            kind, name, res_id = entry.msgctxt.split(':')
            if res_id:
                assert lang == 'zh_CN', entry.msgctxt
                module, res_id = res_id.split('.')
                assert module == 'sale_complaint', entry.msgctxt
            key = (f'{kind}:{name}:{res_id}', entry.msgid)
            assert key in own, key
