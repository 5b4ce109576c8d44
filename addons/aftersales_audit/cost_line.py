"""The lines of the after-sales cost ledger (RULEBOOK C9)

Each line is one cost of a kind, in the company's currency, for an office
(the branch office, logistics partner, dealer or repair point's party it
arose for), a product and its category, linked to the document it comes
from. The cost periods gather them from the other modules:

- freight: the return freight the company pays (quality returns, R12, W5),
  from the return application's shipment, on its arrival date;
- parts: the goods given in exchange on return lines (R9), at cost price,
  on the day the line is disposed;
- free_parts: the parts fitted free in warranty on done repair orders, at
  cost price, on the day of the repair;
- compensation: the repair-fee compensation of the done settlements (N3),
  on the settlement's date;
- labour: each visit done on a service request free in warranty (C7), at
  the configured cost of a visit, on the day of the visit.

Credits of return lines are left out: their credit note books them
already. Carrier claims give no line: the claim is the customer's (W6),
the company bears nothing of it. Finance adds the other costs by hand.
"""
import datetime as dt

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import AccessError
from trytond.modules.aftersales_warranty.document import (
    CurrencyMixin, owner_field)
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import CostError

SQL_IN = fields.SQL_OPERATORS['in']

# A module adding a kind extends the selection of the kind field in
# __setup__ and gives it an account with configuration.add_cost_account
KINDS = [
    ('labour', "Labour"),
    ('parts', "Replacement Goods"),
    ('freight', "Freight"),
    ('compensation', "Compensation"),
    ('free_parts', "Parts Free in Warranty"),
    ('audit', "Audit"),
    ]

_company = {'company': Eval('company', -1)}
_manual = {'readonly': Bool(Eval('source')) | (Eval('period_state') != 'open')}


def month_start(date):
    return date.replace(day=1)


def quarter_start(date):
    return dt.date(date.year, date.month - (date.month - 1) % 3, 1)


class CostLine(CurrencyMixin, ModelSQL, ModelView):
    "After-Sales Cost"
    __string__ = "After-Sales Cost"
    __name__ = 'aftersales.cost.line'

    period = owner_field(
        'aftersales.cost.period', "Period",
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('period_state') != 'closed',
                ('state', '=', 'open'), ()),
            ],
        states={'readonly': Bool(Eval('source'))})
    period_state = fields.Function(
        fields.Selection('get_period_states', "Period State"),
        'on_change_with_period_state')
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_manual)
    date = fields.Date("Date", required=True, states=_manual)
    month = fields.Date("Month", readonly=True)
    quarter = fields.Date("Quarter", readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, states=_manual)
    kind_string = kind.translated('kind')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True,
        states=_manual)
    office = party_field(
        "Office", states=_manual,
        help="The branch office, logistics partner, dealer or repair point "
        "the cost arose for.")
    product = fields.Many2One(
        'product.product', "Product", states=_manual,
        context=_company, depends={'company'})
    category = fields.Many2One(
        'product.category', "Product Category", states=_manual,
        context=_company, depends={'company'})
    lot = fields.Many2One(
        'stock.lot', "Lot", states=_manual,
        context=_company, depends={'company'},
        domain=[If(Eval('product'),
                ('product', '=', Eval('product', -1)),
                ())])
    source = fields.Reference(
        "Source", selection='get_sources', readonly=True,
        help="The document the cost comes from; none for a cost added "
        "by hand.")
    description = fields.Char("Description", states=_manual)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('source_kind_unique', Unique(t, t.source, t.kind),
                'aftersales_audit.msg_cost_line_source_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.source, Index.Equality())),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls.__access__.add('period')

    @classmethod
    def default_company(cls):
        return Pool().get('aftersales.cost.period').default_company()

    @classmethod
    def get_period_states(cls):
        Period = Pool().get('aftersales.cost.period')
        return Period.fields_get(['state'])['state']['selection']

    @fields.depends('period', '_parent_period.state')
    def on_change_with_period_state(self, name=None):
        return self.period.state if self.period else None

    @fields.depends('period', '_parent_period.company')
    def on_change_period(self):
        if self.period:
            self.company = self.period.company

    @fields.depends('product', 'category')
    def on_change_product(self):
        if self.product:
            self.category = self.product_category(self.product)

    @classmethod
    def get_sources(cls):
        "The documents costs come from: extend it with a source"
        Model = Pool().get('ir.model')
        get_name = Model.get_name
        models = cls._get_sources()
        return [(None, '')] + [(m, get_name(m)) for m in models]

    @classmethod
    def _get_sources(cls):
        return [
            'aftersales.rma.application',
            'aftersales.rma.application.line',
            'aftersales.repair.order.line',
            'aftersales.repair.settlement.line',
            'aftersales.service.request.visit',
            'aftersales.audit.plan',
            ]

    @staticmethod
    def product_category(product):
        """Return the category of product whose warranty policy applies,
        else its first category"""
        categories = product.template.categories
        for category in categories:
            if category.get_warranty_policy():
                return category
        return categories[0] if categories else None

    @classmethod
    def preprocess_values(cls, mode, values):
        "Keep the month and quarter of the date, which the split groups by"
        values = super().preprocess_values(mode, values)
        if values.get('date'):
            values['month'] = month_start(values['date'])
            values['quarter'] = quarter_start(values['date'])
        return values

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names & {'date', 'period', 'company'}:
            cls.check_period(lines)

    @classmethod
    def check_period(cls, lines):
        "A line is dated inside its open period, of its company (C9)"
        lang = Pool().get('ir.lang').get()
        for line in lines:
            period = line.period
            if period.state != 'open':
                raise AccessError(gettext(
                        'aftersales_audit.msg_cost_line_closed',
                        line=line.rec_name, period=period.rec_name))
            if (line.company != period.company
                    or not (period.start_date <= line.date
                        <= period.end_date)):
                raise CostError(gettext(
                        'aftersales_audit.msg_cost_line_outside_period',
                        line=line.rec_name, date=lang.strftime(line.date),
                        period=period.rec_name))

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        """A closed period's lines never change, and users change a
        gathered cost only at its source (C9)"""
        super().check_modification(
            mode, lines, values=values, external=external)
        for line in lines:
            if line.period.state != 'open':
                raise AccessError(gettext(
                        'aftersales_audit.msg_cost_line_closed',
                        line=line.rec_name, period=line.period.rec_name))
            if mode == 'write' and external and line.source:
                raise AccessError(gettext(
                        'aftersales_audit.msg_cost_line_gathered',
                        line=line.rec_name, source=line.source.rec_name))

    @classmethod
    def not_gathered(cls, lines):
        """Return the lines whose source holds no line of their kind yet,
        from one query per slice: gathering twice adds nothing (C9)"""
        line = cls.__table__()
        cursor = Transaction().connection.cursor()
        gathered = set()
        for sub_sources in grouped_slice(
                list({str(l.source) for l in lines}),
                backend.MAX_QUERY_PARAMS):
            cursor.execute(*line.select(line.source, line.kind,
                    where=SQL_IN(line.source, sub_sources)))
            gathered.update(cursor)
        return [l for l in lines if (str(l.source), l.kind) not in gathered]

    def get_rec_name(self, name):
        return '%s %s %s' % (self.kind_string, self.date, self.amount)
