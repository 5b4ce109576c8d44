"""The screens of the after-sales modules, as a clerk meets them

Actions that cannot be undone ask for a confirmation, lists show no more
columns than fit a 1400 px screen, and lists of records that can be overdue
colour them. What the views send is what the web client can draw: PYSON
expressions, no date-time column without its date or time widget, no icon
that does not exist; rates show as percentages.
"""
import re
import unittest
from pathlib import Path

from lxml import etree

from trytond.model import ModelView
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(cfg.parent.name for cfg in ROOT.glob('addons/*/tryton.cfg'))

# Buttons that post, settle, approve, refuse, cancel or create documents
CONFIRMED = {
    'accept', 'activate', 'add_repair_faulty', 'approve', 'approve_special',
    'cancel', 'close', 'confirm', 'count', 'decide', 'diagnose', 'dispose',
    'do', 'exchange', 'issue', 'propose_replenishment', 'quote', 'refund',
    'refuse', 'reject', 'resolve', 'rule', 'settle', 'sign', 'submit',
    'queue_settle',
    }
MAX_COLUMNS = 7
# The icons the web client ships (make sao installs it)
CLIENT_ICONS = (
    Path(__file__).resolve().parent.parent / 'var' / 'sao' / 'package'
    / 'images')


class ViewsTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(MODULES)

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def our_models(self):
        "Yield the view models of the after-sales modules"
        pool = Pool()
        IrModel = pool.get('ir.model')
        for record in IrModel.search([('module', 'in', MODULES)]):
            Model = pool.get(record.name)
            if issubclass(Model, ModelView):
                yield Model

    def our_views(self, type_):
        "Yield (model, arch) of the views of type_ our modules define, extend"
        pool = Pool()
        View = pool.get('ir.ui.view')
        seen = set()
        for view in View.search([('module', 'in', MODULES)]):
            root = view
            while root.inherit:
                root = root.inherit
            if root.type != type_ or root.id in seen:
                continue
            seen.add(root.id)
            Model = pool.get(root.model)
            arch = Model.fields_view_get(view_id=root.id)['arch']
            yield Model, etree.fromstring(arch)

    @with_transaction()
    def test_confirm_actions_that_cannot_be_undone(self):
        "Buttons that post, approve, refuse, cancel or create ask first"
        pool = Pool()
        View = pool.get('ir.ui.view')
        checked, missing = [], []
        for Model in self.our_models():
            buttons = CONFIRMED & set(Model._buttons)
            if not buttons:
                continue
            checked.extend(buttons)
            confirmed = set()
            for view in View.search([
                        ('model', '=', Model.__name__),
                        ('type', '=', 'form'),
                        ]):
                arch = etree.fromstring(
                    Model.fields_view_get(view_id=view.id)['arch'])
                confirmed.update(
                    b.get('name') for b in arch.iter('button')
                    if b.get('confirm'))
            missing.extend(
                f'{Model.__name__}.{b}' for b in sorted(buttons - confirmed))
        self.assertTrue(checked)
        self.assertEqual(missing, [])

    @with_transaction()
    def test_lists_fit_the_screen(self):
        "No list shows more than 7 columns by default"
        lists, wide = [], []
        for Model, arch in self.our_views('tree'):
            lists.append(Model.__name__)
            columns = [f.get('name') for f in arch.iter('field')
                if f.get('tree_invisible') not in {'1', 'True'}
                and f.get('optional') != '1']
            if len(columns) > MAX_COLUMNS:
                wide.append((Model.__name__, columns))
        self.assertIn('aftersales.rma.application', lists)
        self.assertEqual(wide, [])

    @with_transaction()
    def test_lists_colour_overdue_records(self):
        "Lists of records that can be overdue colour them"
        overdue, plain = [], []
        for Model, arch in self.our_views('tree'):
            if 'overdue' not in Model._fields:
                continue
            overdue.append(Model.__name__)
            names = {f.get('name') for f in arch.iter('field')}
            if ('overdue' not in arch.get('visual', '')
                    or 'overdue' not in names):
                plain.append(Model.__name__)
        self.assertIn('aftersales.rma.dispute', overdue)
        self.assertIn('aftersales.rma.application', overdue)
        self.assertIn('aftersales.repair.order', overdue)
        self.assertEqual(plain, [])

    @with_transaction()
    def test_view_expressions_are_pyson(self):
        "Every visual and states the views send decodes as PYSON"
        checked, broken = 0, []
        for type_ in ['tree', 'form']:
            for Model, arch in self.our_views(type_):
                for element in arch.iter():
                    for attribute in ['visual', 'states']:
                        value = element.get(attribute)
                        if value is None:
                            continue
                        checked += 1
                        try:
                            PYSONDecoder(noeval=True).decode(value)
                        except ValueError:
                            broken.append((Model.__name__, attribute, value))
        self.assertGreater(checked, 0)
        self.assertEqual(broken, [])

    @with_transaction()
    def test_list_datetimes_have_a_widget(self):
        "A date-time column has widget date or time: sao draws no other"
        columns, bare = 0, []
        for Model, arch in self.our_views('tree'):
            for element in arch.iter('field'):
                field = Model._fields.get(element.get('name'))
                kind = getattr(field, '_type', None)
                if kind not in {'datetime', 'timestamp'}:
                    continue
                columns += 1
                if element.get('widget') not in {'date', 'time'}:
                    bare.append(f'{Model.__name__}.{field.name}')
        self.assertGreater(columns, 0)
        self.assertEqual(bare, [])

    @with_transaction()
    def test_icons_exist(self):
        "Every icon the views and menus name is one the client can load"
        pool = Pool()
        Icon = pool.get('ir.ui.icon')
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        if not CLIENT_ICONS.is_dir():
            self.skipTest(f'the web client is not installed: {CLIENT_ICONS}')
        known = {name for _, name in Icon.list_icons()} | {
            p.stem for p in CLIENT_ICONS.glob('*.svg')}
        used = set()
        for type_ in ['tree', 'form']:
            for Model, arch in self.our_views(type_):
                used.update(re.findall(
                    r'tryton-[a-z0-9-]+', etree.tostring(arch, encoding=str)))
        menus = ModelData.search([
                ('module', 'in', MODULES), ('model', '=', 'ir.ui.menu')])
        used.update(m.icon for m in Menu.browse([d.db_id for d in menus])
            if m.icon)
        self.assertIn('tryton-ok', used)
        self.assertEqual(sorted(used - known), [])

    @with_transaction()
    def test_rates_show_as_percent(self):
        "A rate column or field shows 30 % for 0.30"
        ModelField = Pool().get('ir.model.field')
        ours = {(f.model, f.name) for f in ModelField.search([
                    ('module', 'in', MODULES)])}
        rates, plain = 0, []
        for type_ in ['tree', 'form']:
            for Model, arch in self.our_views(type_):
                for element in arch.iter('field'):
                    name = element.get('name') or ''
                    field = Model._fields.get(name)
                    if (not name.endswith('rate')
                            or (Model.__name__, name) not in ours
                            or getattr(field, '_type', None) != 'numeric'):
                        continue
                    rates += 1
                    if element.get('factor') != '100':
                        plain.append(f'{Model.__name__}.{name}')
        self.assertGreater(rates, 0)
        self.assertEqual(plain, [])
