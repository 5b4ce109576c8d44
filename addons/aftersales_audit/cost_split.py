"""The after-sales costs split per office, product category, kind and
month or quarter (RULEBOOK C9), added up by the database"""
from sql.aggregate import Min, Sum

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.aftersales_warranty.document import CompanyMixin
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .sheet import Column, Sheet, dated_where


class CostSplit(ModelSQL, ModelView):
    "After-Sales Cost by Office and Category"
    __string__ = "After-Sales Cost by Office and Category"
    __name__ = 'aftersales.cost.split'

    company = fields.Many2One('company.company', "Company", readonly=True)
    office = party_field("Office", readonly=True)
    category = fields.Many2One(
        'product.category', "Product Category", readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    kind = fields.Selection('get_kinds', "Kind", readonly=True)
    month = fields.Date(
        "Period Start", readonly=True,
        help="The first day of the month or of the quarter.")
    amount = Monetary(
        "Amount", currency='currency', digits='currency', readonly=True)
    currency = fields.Many2One('currency.currency', "Currency", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('month', 'DESC'), ('amount', 'DESC'), ('id', 'ASC')]

    @classmethod
    def get_kinds(cls):
        Line = Pool().get('aftersales.cost.line')
        return Line.fields_get(['kind'])['kind']['selection']

    @classmethod
    def table_query(cls):
        "Add up the costs of the context's company and dates (C9)"
        context = Transaction().context
        line, company, where = cls._lines(
            context.get('company'), context.get('from_date'),
            context.get('to_date'))
        month = (line.quarter if context.get('granularity') == 'quarter'
            else line.month)
        key = [line.company, line.office, line.category, line.kind, month,
            company.currency]
        return line.join(company, condition=line.company == company.id
            ).select(
                Min(line.id).as_('id'),
                line.company.as_('company'),
                line.office.as_('office'),
                line.category.as_('category'),
                line.kind.as_('kind'),
                month.as_('month'),
                cls.amount.sql_cast(Sum(line.amount)).as_('amount'),
                company.currency.as_('currency'),
                where=where,
                group_by=key)

    @classmethod
    def _lines(cls, company_id, start, end):
        "Return the cost line and company tables and the lines' condition"
        pool = Pool()
        Line = pool.get('aftersales.cost.line')
        Company = pool.get('company.company')
        line = Line.__table__()
        company = Company.__table__()
        where = dated_where(line.company, line.date, company_id, start, end)
        return line, company, where

    @classmethod
    def workbook_sheet(cls, company, start, end):
        """Return the sheet of the company's costs per office, category,
        kind and month from start to end, its rows read by one query

        The categories and kinds, few, are named in the reader's language
        beforehand.
        """
        pool = Pool()
        Party = pool.get('party.party')
        Category = pool.get('product.category')
        line, _, where = cls._lines(company.id, start, end)
        party = Party.__table__()
        category = Category.__table__()
        categories = {c.id: c.rec_name for c in Category.search([
                    ('id', 'in', line.select(line.category, where=where)),
                    ])}
        kinds = dict(cls.get_kinds())
        key = [party.name, category.name, line.category, line.kind,
            line.month]
        query = (line
            .join(party, 'LEFT', condition=line.office == party.id)
            .join(category, 'LEFT', condition=line.category == category.id)
            .select(
                party.name, line.category, line.kind, line.month,
                cls.amount.sql_cast(Sum(line.amount)),
                where=where,
                group_by=key,
                order_by=[party.name.asc.nulls_first,
                    category.name.asc.nulls_first, line.kind.asc,
                    line.month.asc]))
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        rows = ((office or '', categories.get(category_id, ''), kinds[kind],
                    month, amount)
            for office, category_id, kind, month, amount in cursor)
        strings = {n: f['string'] for n, f in cls.fields_get(
                ['office', 'category', 'kind', 'amount']).items()}
        columns = [
            Column(strings['office'], 'char'),
            Column(strings['category'], 'char'),
            Column(strings['kind'], 'char'),
            Column(gettext('aftersales_audit.msg_cost_sheet_month'), 'date'),
            Column(strings['amount'], 'amount'),
            ]
        return Sheet(
            gettext('aftersales_audit.msg_cost_sheet_title'), columns, rows)


class CostSplitContext(CompanyMixin, ModelView):
    "After-Sales Cost Split Context"
    __string__ = "After-Sales Cost Split Context"
    __name__ = 'aftersales.cost.split.context'

    from_date = fields.Date(
        "From Date",
        domain=[If(Eval('to_date'),
                ('from_date', '<=', Eval('to_date')),
                ())])
    to_date = fields.Date("To Date")
    granularity = fields.Selection([
            ('month', "Month"),
            ('quarter', "Quarter"),
            ], "Group By", required=True)

    @classmethod
    def default_from_date(cls):
        today = Pool().get('ir.date').today()
        return today.replace(month=1, day=1)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_granularity(cls):
        return 'month'
