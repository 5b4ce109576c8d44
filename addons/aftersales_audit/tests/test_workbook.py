"The monthly management workbook (C10)"
import datetime as dt
import email
import email.policy
import io

import openpyxl

from trytond.modules.aftersales_repair_network.tests.test_module import (
    create_point)
from trytond.modules.aftersales_service.tests.test_complaint import (
    create_complaint)
from trytond.modules.aftersales_warranty.tests.tools import (
    ActivatedTestCase, create_user, new_company, on, run_queued_tasks,
    start_smtp_server)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .test_analysis import (
    create_customer, create_office_deliveries, create_region, region_address,
    repair, submit, this_month)

# group: what it may read (r) or also create (c) of the analysis, the
# workbooks and their recipients
ROLE_ACCESS = {
    'group_customer_service': ('r', 'c', 'c'),
    'group_vice_president': ('r', 'r', 'c'),
    'group_auditor': ('r', 'r', 'r'),
    'group_technical': ('r', '', ''),
    'group_finance': ('r', 'r', ''),
    'group_clerk': ('', '', ''),
    }
ANALYSES = [
    'aftersales.analysis.failure',
    'aftersales.analysis.complaint',
    'aftersales.analysis.repair',
    'aftersales.analysis.return_rate',
    ]


def create_month(company, start):
    """Create a month of returns, deliveries, repairs and complaints of
    company from start, today's month"""
    lamp, tube, lot, north, south = create_office_deliveries(company, 40, 10)
    submit(company, north, [(lamp, 4, lot)])
    submit(company, south, [(tube, 1, None)])
    point = create_point(company)
    zhou = create_customer("Zhou Lan")
    repair(point, lamp, zhou, start, start, lot=lot)
    repair(point, lamp, zhou, start, start + dt.timedelta(days=1), lot=lot)
    region = create_region("North")
    complaint = create_complaint(company, date=start,
        complaint_class='product')
    complaint.customer.addresses = [region_address(region)]
    complaint.customer.save()


def create_recipients(company):
    "Make a user and an address the company's recipients"
    pool = Pool()
    Recipient = pool.get('aftersales.report.recipient')
    User = pool.get('res.user')
    user, = User.create([{
                'login': 'vp', 'name': "Vice-President",
                'email': 'vp@example.com'}])
    Recipient.create([
            {'company': company.id, 'user': user.id},
            {'company': company.id, 'email': 'board@example.com'},
            ])


def analysis_rows(model, company, start, end):
    """Return the rows of the analysis model as the sheet shows them, read
    through the records"""
    Model = Pool().get(model)
    names = Model._sheet_fields()
    with Transaction().set_context(
            company=company.id, from_date=start, to_date=end):
        records = Model.search([])
    return sorted(
        (dt.datetime(r.year, r.month, 1), *(cell(getattr(r, n))
                for n in names))
        for r in records)


def cell(value):
    "Return value as the workbook holds it"
    if value is None or isinstance(value, (int, float)):
        return value
    if value.__name__ == 'product.product':
        return value.template.name
    if value.__name__ == 'stock.lot':
        return value.number
    if value.__name__ == 'aftersales.repair.point':
        return value.party.name
    return value.name


def rounded(rows):
    "Return the rows sorted, their floats rounded as the records' figures"
    return sorted(
        tuple(round(v, 6) if isinstance(v, float) else v for v in row)
        for row in rows)


def sheet_rows(worksheet):
    "Return the data rows of worksheet, rounded like the records"
    return rounded(worksheet.iter_rows(min_row=2, values_only=True))


class WorkbookTestCase(ActivatedTestCase):
    "The management workbook, generated and e-mailed"
    module = 'aftersales_audit'

    def setUp(self):
        super().setUp()
        self.handler = start_smtp_server(self, 'reports@example.com')

    @with_transaction()
    def test_c10_workbook_figures_match_database(self):
        "C10: the workbook's sheets hold the analysis of the database"
        pool = Pool()
        IrModel = pool.get('ir.model')
        Workbook = pool.get('aftersales.report.workbook')
        start, end = this_month()
        with new_company(chart=True) as company:
            create_month(company, start)
            workbook = Workbook.generate(company, start, end)

            book = openpyxl.load_workbook(io.BytesIO(workbook.file))
            self.assertEqual(
                len(book.sheetnames), len(Workbook._get_sheet_models()))
            for model in ANALYSES:
                worksheet = book[IrModel.get_name(model)]
                Model = pool.get(model)
                names = ['month'] + Model._sheet_fields()
                strings = Model.fields_get(names)
                self.assertEqual(worksheet.freeze_panes, 'A2', model)
                self.assertEqual(
                    [c.value for c in worksheet[1]],
                    [strings[n]['string'] for n in names], model)
                self.assertEqual(sheet_rows(worksheet), rounded(
                        analysis_rows(model, company, start, end)), model)
                self.assertGreater(worksheet.max_row, 1, model)
                self.assertEqual(len(worksheet._charts), 1, model)
                self.assertEqual(worksheet['A2'].number_format, 'yyyy-mm-dd')

            # the figures of the data created
            returns_sheet = book[IrModel.get_name(ANALYSES[3])]
            returns = {r[1]: r[2:] for r in returns_sheet.iter_rows(
                    min_row=2, values_only=True)}
            self.assertEqual(returns, {
                    "North Office": (40, 4, 0.1),
                    "South Office": (10, 1, 0.1),
                    })
            self.assertEqual(returns_sheet['E2'].number_format, '0.00%')
            (_, _, _, repairs, days, repeats, rate), = (
                book[IrModel.get_name(ANALYSES[2])].iter_rows(
                    min_row=2, values_only=True))
            self.assertEqual((repairs, days, repeats, rate),
                (2, 0.5, 1, 0.5))

    @with_transaction()
    def test_c10_workbook_attached_and_emailed(self):
        "C10: the workbook is attached to its record and e-mailed"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Workbook = pool.get('aftersales.report.workbook')
        transaction = Transaction()
        start, end = this_month()
        with new_company(chart=True) as company:
            create_recipients(company)
            create_month(company, start)
            workbook = Workbook.generate(company, start, end)
            transaction.commit()

            attachment, = Attachment.search(
                [('resource', '=', str(workbook))])
            self.assertEqual(attachment.name, workbook.file_name)
            self.assertTrue(workbook.file_name.endswith('.xlsx'))
            self.assertEqual(workbook.sent_to,
                'board@example.com\nvp@example.com')
            envelope, = self.handler.messages
            self.assertEqual(sorted(envelope.rcpt_tos),
                ['board@example.com', 'vp@example.com'])
            message = email.message_from_bytes(
                envelope.content, policy=email.policy.default)
            sent, = message.iter_attachments()
            self.assertEqual(sent.get_filename(), workbook.file_name)
            self.assertEqual(sent.get_content(), attachment.data)
            openpyxl.load_workbook(io.BytesIO(sent.get_content()))

    @with_transaction()
    def test_c10_monthly_job_writes_previous_month(self):
        "C10: the monthly job writes each company's previous month"
        pool = Pool()
        Workbook = pool.get('aftersales.report.workbook')
        with new_company() as company:
            with on(dt.date(2026, 3, 1)):
                Workbook.generate_monthly()
            self.assertEqual(run_queued_tasks(), 1)
            workbook, = Workbook.search([('company', '=', company.id)])
            self.assertEqual((workbook.start_date, workbook.end_date),
                (dt.date(2026, 2, 1), dt.date(2026, 2, 28)))
            # no recipient: nothing sent
            self.assertFalse(workbook.sent_to)
            book = openpyxl.load_workbook(io.BytesIO(workbook.file))
            self.assertEqual(
                len(book.sheetnames), len(Workbook._get_sheet_models()))
            self.assertEqual(book.worksheets[0].max_row, 1)

    @with_transaction()
    def test_c10_generate_wizard_opens_workbook(self):
        "C10: customer service generates a workbook for chosen dates"
        pool = Pool()
        Generate = pool.get(
            'aftersales.report.workbook.generate', type='wizard')
        Workbook = pool.get('aftersales.report.workbook')
        with new_company() as company:
            session_id, _, _ = Generate.create()
            result = Generate.execute(session_id, {
                    'start': {
                        'company': company.id,
                        'start_date': dt.date(2026, 1, 1),
                        'end_date': dt.date(2026, 3, 31),
                        },
                    }, 'generate')
            workbook, = Workbook.search([('company', '=', company.id)])
            self.assertEqual(
                result['actions'][0][1]['res_id'], [workbook.id])
            self.assertEqual(workbook.end_date, dt.date(2026, 3, 31))
            self.assertEqual((workbook.state, workbook.file),
                ('queued', None))

            self.assertEqual(run_queued_tasks(), 1)
            workbook = Workbook(workbook.id)
            self.assertEqual(workbook.state, 'generated')
            openpyxl.load_workbook(io.BytesIO(workbook.file))

    @with_transaction()
    def test_c10_reports_open_to_management_roles(self):
        "C10: who reads the analysis, generates workbooks, names recipients"
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        models = [ANALYSES, ['aftersales.report.workbook'],
            ['aftersales.report.recipient']]
        with new_company() as company:
            for group, access in ROLE_ACCESS.items():
                user = create_user(group, group, company)
                with Transaction().set_user(user.id):
                    for names, perms in zip(models, access):
                        for name in names:
                            access = ModelAccess.get_access([name])[name]
                            may = [bool(access[m]) for m in ['read', 'create']]
                            self.assertEqual(may,
                                [bool(perms), perms == 'c'], (group, name))
