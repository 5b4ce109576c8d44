"Dealer rebate agreements (N3)"
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, fields)
from trytond.modules.aftersales_warranty.document import (
    CompanyMixin, CurrencyMixin, owner_field)
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .document import rate_field, running_in

SQL_IN = fields.SQL_OPERATORS['in']


class Rebate(
        CompanyMixin, CurrencyMixin, DeactivableMixin, ModelSQL, ModelView):
    __string__ = "Rebate Agreement"
    __name__ = 'aftersales.repair.rebate'

    party = party_field(
        "Dealer", required=True,
        domain=[('aftersales_role', 'not in', [None, 'consumer'])])
    start_date = fields.Date(
        "Start Date", required=True,
        domain=[If(Eval('end_date'),
                ('start_date', '<=', Eval('end_date')),
                ())])
    end_date = fields.Date(
        "End Date",
        domain=[If(Eval('end_date'),
                ('end_date', '>=', Eval('start_date')),
                ())])
    rate = rate_field(
        "Rate", 'rate',
        help="The share of the period's invoiced net sales paid back: "
        "0.02 is 2 %.")
    tiers = fields.One2Many(
        'aftersales.repair.rebate.tier', 'rebate', "Tiers",
        help="Higher rates from a sales threshold on: the highest tier "
        "reached applies to all the period's sales.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.party, Index.Range())))
        cls._order.insert(0, ('start_date', 'DESC'))

    def get_rec_name(self, name):
        return self.party.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name', *clause[1:])]

    def rate_for(self, sales):
        "Return the rate that applies to sales"
        rate = self.rate
        for tier in sorted(self.tiers, key=lambda t: t.threshold):
            if sales >= tier.threshold:
                rate = tier.rate
        return rate

    @classmethod
    def of_period(cls, company, start_date, end_date):
        "Return the active agreements running in the period"
        return cls.search([
                ('company', '=', company.id),
                ] + running_in(start_date, end_date))

    @classmethod
    def net_sales(cls, company, parties, start_date, end_date):
        """Return {party id: invoiced net sales} of the period

        The untaxed amounts of the posted and paid customer invoices and
        credit notes dated in the period, in the company's currency, less
        the repair network's own deposit invoices and settlement credit
        notes, in one grouped query.
        """
        pool = Pool()
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        invoice = Invoice.__table__()
        invoice_line = InvoiceLine.__table__()
        cursor = Transaction().connection.cursor()
        own = invoice_line.select(invoice_line.invoice,
            where=invoice_line.origin.like('aftersales.repair.point,%')
            | invoice_line.origin.like(
                'aftersales.repair.settlement.line,%'))
        sales = defaultdict(Decimal)
        # one flat IN list, as trytond reads records: SQLite's limit of
        # nested terms (MAX_QUERY_PARAMS) does not apply to it
        cursor.execute(*invoice.select(
                invoice.party, Sum(invoice.untaxed_amount_cache),
                where=SQL_IN(invoice.party, [p.id for p in parties])
                & (invoice.company == company.id)
                & (invoice.currency == company.currency.id)
                & (invoice.type == 'out')
                & invoice.state.in_(['posted', 'paid'])
                & (invoice.invoice_date >= start_date)
                & (invoice.invoice_date <= end_date)
                & ~invoice.id.in_(own),
                group_by=invoice.party))
        for party_id, amount in cursor:
            # SQLite sums numeric as float
            sales[party_id] = company.currency.round(
                Decimal(str(amount or 0)))
        return sales


class RebateTier(ModelSQL, ModelView):
    __string__ = "Rebate Tier"
    __name__ = 'aftersales.repair.rebate.tier'

    rebate = owner_field('aftersales.repair.rebate', "Rebate")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    threshold = Monetary(
        "From Net Sales", currency='currency', digits='currency',
        required=True, domain=[('threshold', '>=', 0)])
    rate = rate_field("Rate", 'rate')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('rebate')
        cls._order.insert(0, ('threshold', 'ASC'))

    @fields.depends('rebate', '_parent_rebate.company')
    def on_change_with_currency(self, name=None):
        if self.rebate and self.rebate.company:
            return self.rebate.company.currency
