"Printed documents of the three after-sales modules, in the reader's language"
import datetime as dt
import io
import shutil
import subprocess
import zipfile
from unittest import mock, skipUnless
from zoneinfo import ZoneInfo

from lxml import etree

from trytond.modules.aftersales_warranty.tests.tools import (
    ActivatedTestCase, load_translations, new_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .test_module import create_point

MODULES = [
    'aftersales_warranty', 'aftersales_rma', 'aftersales_repair_network']
PURCHASE = dt.date(2026, 3, 5)
DISPATCH = dt.date(2026, 11, 3)
# report name: (document, its Chinese labels and zh_CN dates)
REPORTS = {
    'aftersales.warranty.registration.card': (
        'registration', ["保修卡", "购买日期：", "2026-03-05"]),
    'aftersales.rma.application.registration_form': (
        'application', ["产品返厂登记表", "计划发运日期：", "2026-11-03"]),
    'aftersales.rma.application.receipt': (
        'application', ["返厂回执", "到货清点"]),
    'aftersales.repair.order.form': (
        'order', ["维修服务单", "购买日期：", "2026-03-05"]),
    'aftersales.repair.point.application': (
        'point', ["特约维修部申请表", "申请日期：", "2026-11-03"]),
    }


def load_chinese():
    "Make zh_CN translatable and load the modules' zh_CN translations"
    return load_translations('zh_CN', *MODULES)


def odt_text(content):
    "Return the text of an ODT document"
    with zipfile.ZipFile(io.BytesIO(content)) as odt:
        root = etree.fromstring(odt.read('content.xml'))
    return ' '.join(' '.join(root.itertext()).split())


def pdf_text(content):
    "Return the text of a PDF document"
    return subprocess.run(
        ['pdftotext', '-', '-'], input=content, capture_output=True,
        check=True).stdout.decode('utf-8')


def create_documents(company, reader):
    "Return the records of the five reports, written for reader"
    pool = Pool()
    Application = pool.get('aftersales.rma.application')
    ModelData = pool.get('ir.model.data')
    Order = pool.get('aftersales.repair.order')
    Registration = pool.get('aftersales.warranty.registration')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')

    def ref(module, fs_id):
        return ModelData.get_id(module, fs_id)
    unit = Uom(ref('product', 'uom_unit'))
    template, = Template.create([{
                'name': "Ceiling Lamp", 'type': 'goods',
                'default_uom': unit.id, 'products': [('create', [{}])]}])
    lamp, = template.products
    ballast = ref('aftersales_warranty', 'component_ballast')
    tube = ref('aftersales_warranty', 'component_tube')
    point = create_point(company, reader.lang, application_date=DISPATCH)
    office = point.office

    registration, = Registration.create([{
                'company': company.id, 'source': 'manual',
                'customer': reader.id, 'product': lamp.id, 'quantity': 1,
                'proof_of_purchase': "R-1", 'purchase_date': PURCHASE,
                'lines': [('create', [
                            {'component': ballast, 'covered': True,
                                'end_date': PURCHASE.replace(year=2027)},
                            {'component': tube, 'covered': False}])]}])
    application, = Application.create([{
                'company': company.id, 'sender': office.id,
                'sender_address': office.addresses[0].id,
                'date': DISPATCH, 'planned_date': DISPATCH,
                'lines': [('create', [{
                                'product': lamp.id, 'quantity': 2,
                                'unit': unit.id,
                                'reason': ref(
                                    'aftersales_rma', 'reason_quality'),
                                }])]}])
    order, = Order.create([{
                'company': company.id, 'point': point.id, 'date': DISPATCH,
                'customer': reader.id, 'product': lamp.id,
                'proof_of_purchase': "R-1", 'purchase_date': PURCHASE,
                'lines': [('create', [{'component': ballast}])]}])
    return {
        'registration': registration, 'application': application,
        'order': order, 'point': point}


def print_report(name, record):
    "Return the extension and content of report name printed for record"
    Report = Pool().get(name, type='report')
    extension, content, _, _ = Report.execute([record.id], {})
    return extension, content


def print_odt(name, record):
    """Return the text of report name printed for record without LibreOffice

    No template directive may be left in it.
    """
    Report = Pool().get(name, type='report')
    with mock.patch.object(Report, 'converter', return_value=None):
        extension, content = print_report(name, record)
    assert extension == 'odt', extension
    text = odt_text(content)
    assert 'replace' not in text, text
    return text


def print_pdf(name, record):
    """Return the text of report name printed for record as PDF

    None where pdftotext is not installed to read it.
    """
    extension, content = print_report(name, record)
    assert extension == 'pdf', extension
    assert content.startswith(b'%PDF'), content[:10]
    if shutil.which('pdftotext'):
        return pdf_text(content)


def print_card(documents):
    "Return the text of the warranty card of documents"
    return print_odt(
        'aftersales.warranty.registration.card', documents['registration'])


class ReportsTestCase(ActivatedTestCase):
    "Test the printed documents of the after-sales modules"
    module = 'aftersales_repair_network'
    extras = ['aftersales_rma']

    def create_documents(self, company, lang):
        "Return the records of the five reports, for a reader of lang"
        Party = Pool().get('party.party')
        reader, = Party.create([{
                    'name': "Reader", 'lang': lang.id if lang else None,
                    'addresses': [('create', [{}])]}])
        return create_documents(company, reader)

    def assert_labels_printed(self, documents, print_text):
        "Each report printed with print_text shows its labels, where readable"
        for name, (document, labels) in REPORTS.items():
            with self.subTest(report=name):
                text = print_text(name, documents[document])
                for label in labels if text is not None else []:
                    self.assertIn(label, text)

    @with_transaction()
    def test_reports_in_party_language(self):
        "Each report prints in its zh_CN party's language, dates and Yes/No"
        zh_cn = load_chinese()
        with new_company() as company:
            documents = self.create_documents(company, zh_cn)
            self.assert_labels_printed(documents, print_odt)
            card = print_card(documents)
        self.assertIn("镇流器 是 2027-03-05", card)
        self.assertIn("灯管 否", card)
        self.assertNotIn("Yes", card)

    @with_transaction()
    def test_reports_in_company_language(self):
        "A party without language reads the company's"
        zh_cn = load_chinese()
        with new_company() as company, \
                Transaction().set_context(language='en'):
            company.party.lang = zh_cn
            company.party.save()
            documents = self.create_documents(company, None)
            card = print_card(documents)
        self.assertIn("保修卡", card)
        self.assertIn("2026-03-05", card)

    @with_transaction()
    def test_times_in_company_timezone(self):
        "Times print in the company's time zone"
        Point = Pool().get('aftersales.repair.point')
        zh_cn = load_chinese()
        with new_company() as company:
            company.timezone = 'Asia/Shanghai'
            company.save()
            documents = self.create_documents(company, zh_cn)
            point = Point(documents['point'].id)
            text = print_odt('aftersales.repair.point.application', point)
        approved_at = point.approved_at.replace(tzinfo=dt.timezone.utc)
        self.assertIn(
            approved_at.astimezone(ZoneInfo('Asia/Shanghai')).strftime(
                '%Y-%m-%d %H:%M:%S'), text)

    @with_transaction()
    def test_report_in_english(self):
        "A party reading English gets the report in English"
        pool = Pool()
        Lang = pool.get('ir.lang')
        load_chinese()
        en, = Lang.search([('code', '=', 'en')])
        with new_company() as company:
            documents = self.create_documents(company, en)
            card = print_card(documents)
        self.assertIn("Warranty Card", card)
        self.assertIn("Purchase Date:", card)
        self.assertIn("03/05/2026", card)
        self.assertIn("Yes", card)
        self.assertNotIn("保修卡", card)

    @skipUnless(shutil.which('soffice'), "LibreOffice is not installed")
    @with_transaction()
    def test_reports_print_pdf(self):
        "Where LibreOffice is installed the reports print as PDF"
        zh_cn = load_chinese()
        with new_company() as company:
            documents = self.create_documents(company, zh_cn)
            self.assert_labels_printed(documents, print_pdf)


del ActivatedTestCase
