"""The monthly management workbook (C9, C10, A8)

One XLSX file of the cost ledger, the analysis and the audit scores, a sheet
each, attached to a report record and e-mailed to the company's recipients.
"""
import datetime as dt
import re
import tempfile
from decimal import Decimal
from email.message import EmailMessage

import xlsxwriter

import trytond.config as config
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.aftersales_warranty.document import CompanyMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.sendmail import send_message_transactional
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateView, Wizard

from .exceptions import WorkbookError

XLSX_TYPE = ('application', 'vnd.openxmlformats-officedocument.spreadsheetml'
    '.sheet')
# The number format of each Column.kind
NUMBER_FORMATS = {
    'char': None,
    'date': 'yyyy-mm-dd',
    'integer': '#,##0',
    'number': '#,##0.00',
    'amount': '#,##0.00',
    'percent': '0.00%',
    }
NUMBER_KINDS = {'integer', 'number', 'amount', 'percent'}
# Excel refuses these in sheet titles and cuts them at 31 characters
SHEET_TITLE = re.compile(r'[\[\]:*?/\\]')
SHEET_TITLE_LENGTH = 31
# The least widths of the columns, in characters
CHAR_WIDTH = 24
NUMBER_WIDTH = 14


class Recipient(CompanyMixin, ModelSQL, ModelView):
    __string__ = "Management Report Recipient"
    __name__ = 'aftersales.report.recipient'

    user = fields.Many2One(
        'res.user', "User",
        states={'required': ~Eval('email')},
        help="The user whose e-mail address receives the workbook.")
    email = fields.Char(
        "E-Mail", states={'required': ~Eval('user')},
        help="The address receiving the workbook, instead of the user's.")

    @property
    def address(self):
        "The e-mail address the workbook goes to"
        return self.email or (self.user.email if self.user else None)


class Workbook(ModelSQL, ModelView):
    __string__ = "Management Workbook"
    __name__ = 'aftersales.report.workbook'

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    start_date = fields.Date("Start Date", required=True, readonly=True)
    end_date = fields.Date("End Date", required=True, readonly=True)
    generated_at = fields.Timestamp("Generated At", readonly=True)
    state = fields.Function(fields.Selection([
                ('queued', "Queued"),
                ('generated', "Generated"),
                ], "State",
            help="A queued workbook is written in the background: its file "
            "shows when it is generated."),
        'get_state')
    file_name = fields.Char("File Name", readonly=True)
    file = fields.Function(
        fields.Binary("File", filename='file_name'), 'get_file')
    sent_to = fields.Text(
        "Sent To", readonly=True,
        help="The addresses the workbook was e-mailed to.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def _get_sheet_models(cls):
        "Return the names of the models giving the sheets, in order"
        return [
            'aftersales.cost.split',
            'aftersales.analysis.failure',
            'aftersales.analysis.complaint',
            'aftersales.analysis.repair',
            'aftersales.analysis.return_rate',
            'aftersales.audit.post_score',
            ]

    @classmethod
    def get_file(cls, workbooks, name):
        Attachment = Pool().get('ir.attachment')
        files = {int(a.resource): a.data for a in Attachment.search([
                    ('resource', 'in', [str(w) for w in workbooks]),
                    ('type', '=', 'data'),
                    ])}
        return {w.id: files.get(w.id) for w in workbooks}

    def get_state(self, name):
        return 'generated' if self.generated_at else 'queued'

    @classmethod
    def generate(cls, company, start, end):
        """Write the company's workbook from start to end, attach it to a
        new record and e-mail it to the company's recipients"""
        workbook = cls._create(company, start, end)
        cls.process([workbook])
        return workbook

    @classmethod
    def queue(cls, company, start, end):
        """Create the record of the company's workbook from start to end
        and queue its generation (process); return the record"""
        workbook = cls._create(company, start, end)
        cls.__queue__.process([workbook])
        return workbook

    @classmethod
    def _create(cls, company, start, end):
        "Return the new record of the company's workbook from start to end"
        if start > end:
            raise WorkbookError(gettext(
                    'aftersales_audit.msg_workbook_dates',
                    start=start, end=end))
        workbook = cls(company=company, start_date=start, end_date=end)
        workbook.file_name = gettext(
            'aftersales_audit.msg_workbook_file_name',
            start=start.isoformat(), end=end.isoformat()) + '.xlsx'
        workbook.save()
        return workbook

    @classmethod
    def process(cls, workbooks):
        """Write each workbook not generated yet, attach it to its record
        and e-mail it to the company's recipients"""
        Attachment = Pool().get('ir.attachment')
        for workbook in workbooks:
            if workbook.generated_at:
                continue
            with Transaction().set_context(company=workbook.company.id):
                data = workbook.write_xlsx()
                Attachment(
                    resource=workbook, name=workbook.file_name, type='data',
                    data=data).save()
                workbook.generated_at = dt.datetime.now()
                workbook.save()
                workbook.send(data)

    def write_xlsx(self):
        "Return the bytes of the XLSX file of the sheets"
        pool = Pool()
        models = [pool.get(n) for n in self._get_sheet_models()]
        with tempfile.NamedTemporaryFile(suffix='.xlsx') as file:
            book = xlsxwriter.Workbook(file.name, {'constant_memory': True})
            formats = {kind: book.add_format(
                    {'num_format': f} if f else {})
                for kind, f in NUMBER_FORMATS.items()}
            header = book.add_format({'bold': True, 'bottom': 1})
            # each sheet's rows are read while it is written
            for Model in models:
                write_sheet(book, formats, header, Model.workbook_sheet(
                        self.company, self.start_date, self.end_date))
            book.close()
            return file.read()

    def send(self, data):
        "E-mail the workbook's data to the company's recipients"
        pool = Pool()
        Recipient = pool.get('aftersales.report.recipient')
        recipients = Recipient.search([('company', '=', self.company.id)])
        addresses = sorted({r.address for r in recipients if r.address})
        if not addresses:
            return
        from_ = config.get('email', 'from')
        msg = EmailMessage()
        msg['From'] = from_
        msg['To'] = ', '.join(addresses)
        msg['Subject'] = gettext(
            'aftersales_audit.msg_workbook_subject',
            company=self.company.rec_name, start=self.start_date.isoformat(),
            end=self.end_date.isoformat())
        msg.set_content(gettext(
                'aftersales_audit.msg_workbook_body',
                company=self.company.rec_name,
                start=self.start_date.isoformat(),
                end=self.end_date.isoformat()))
        maintype, subtype = XLSX_TYPE
        msg.add_attachment(data, maintype=maintype, subtype=subtype,
            filename=self.file_name)
        send_message_transactional(msg, from_, addresses)
        self.sent_to = '\n'.join(addresses)
        self.save()

    @classmethod
    def generate_monthly(cls):
        """Queue the previous month's workbook of every company that has
        none yet: a second run in the month writes and sends nothing"""
        pool = Pool()
        Company = pool.get('company.company')
        Date = pool.get('ir.date')
        end = Date.today().replace(day=1) - dt.timedelta(days=1)
        start = end.replace(day=1)
        done = {w.company for w in cls.search([
                    ('start_date', '=', start),
                    ('end_date', '=', end),
                    ])}
        for company in Company.search([]):
            if company in done:
                continue
            with Transaction().set_context(company=company.id):
                cls.queue(company, start, end)


def sheet_title(title):
    "Return title as Excel accepts it for a sheet"
    return SHEET_TITLE.sub(' ', title)[:SHEET_TITLE_LENGTH]


def write_sheet(book, formats, header, sheet):
    """Write sheet into book: its header frozen, its rows, its chart beside
    them"""
    title = sheet_title(sheet.title)
    worksheet = book.add_worksheet(title)
    worksheet.freeze_panes(1, 0)
    cell_formats = [formats[c.kind] for c in sheet.columns]
    for col, column in enumerate(sheet.columns):
        worksheet.set_column(col, col, max(len(column.header) + 4,
                CHAR_WIDTH if column.kind == 'char' else NUMBER_WIDTH))
        worksheet.write_string(0, col, column.header, header)
    count = 0
    for count, row in enumerate(sheet.rows, 1):
        for col, value in enumerate(row):
            write_cell(worksheet, count, col, value,
                sheet.columns[col].kind, cell_formats[col])
    if sheet.chart and count:
        worksheet.insert_chart(
            1, len(sheet.columns) + 1, chart(book, title, sheet, count))


def write_cell(worksheet, row, col, value, kind, cell_format):
    "Write value in the cell of kind"
    if value is None:
        worksheet.write_blank(row, col, None, cell_format)
    elif kind in NUMBER_KINDS:
        worksheet.write_number(row, col,
            float(value) if isinstance(value, Decimal) else value,
            cell_format)
    elif kind == 'date':
        worksheet.write_datetime(row, col, value, cell_format)
    else:
        worksheet.write_string(row, col, str(value), cell_format)


def chart(book, title, sheet, count):
    "Return the chart of the count rows of sheet"
    result = book.add_chart({'type': sheet.chart.kind})
    category = sheet.chart.category
    for col in sheet.chart.values:
        result.add_series({
                'name': [title, 0, col],
                'categories': [title, 1, category, count, category],
                'values': [title, 1, col, count, col],
                })
    result.set_title({'name': title})
    return result


class GenerateStart(CompanyMixin, ModelView):
    __string__ = "Generate Management Workbook"
    __name__ = 'aftersales.report.workbook.generate.start'

    start_date = fields.Date(
        "Start Date", required=True,
        domain=[('start_date', '<=', Eval('end_date', None))])
    end_date = fields.Date(
        "End Date", required=True,
        domain=[('end_date', '>=', Eval('start_date', None))])

    @classmethod
    def default_start_date(cls):
        "The first day of the previous month"
        return cls.default_end_date().replace(day=1)

    @classmethod
    def default_end_date(cls):
        "The last day of the previous month"
        today = Pool().get('ir.date').today()
        return today.replace(day=1) - dt.timedelta(days=1)


class Generate(Wizard):
    __string__ = "Generate Management Workbook"
    __name__ = 'aftersales.report.workbook.generate'

    start = StateView(
        'aftersales.report.workbook.generate.start',
        'aftersales_audit.workbook_generate_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Generate", 'generate', 'tryton-ok', default=True),
            ])
    generate = StateAction('aftersales_audit.act_workbook_form')

    def do_generate(self, action):
        Workbook = Pool().get('aftersales.report.workbook')
        workbook = Workbook.queue(
            self.start.company, self.start.start_date, self.start.end_date)
        return action, {'res_id': [workbook.id]}
