"""The repair point's rebate and compensation: its agreements and the
credit notes of its settlements (N3)"""
from trytond.model.fields.selection import TranslatedSelection
from trytond.pool import PoolMeta

from .page import route
from .repair import PAGE_SIZE, party_id

SETTLEMENT_LINE = 'aftersales.repair.settlement.line'


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'
    state_string = TranslatedSelection('state')


def amount_formatter(page):
    "Return the function formatting an amount of a currency for the page"
    Lang = page.pool.get('ir.lang')
    lang = Lang.get(page.language)

    def amount(value, currency):
        if value is None:
            return ''
        return lang.currency(value, currency, grouping=True)
    return amount


@route('repair/statements')
def statements(page):
    """The party's rebate agreements, the compensation schemes of its
    points and the credit notes that paid them, newest first (N3)"""
    pool = page.pool
    Compensation = pool.get('aftersales.repair.compensation')
    Invoice = pool.get('account.invoice')
    Rebate = pool.get('aftersales.repair.rebate')
    party = party_id(page)
    rebates = Rebate.search([('party', '=', party)])
    compensations = Compensation.search([
            ('point.party', '=', party),
            ('state', '!=', 'refused'),
            ])
    credit_notes = Invoice.search([
            ('party', '=', party),
            ('state', '!=', 'cancelled'),
            ('lines.origin', 'like', f'{SETTLEMENT_LINE},%'),
            ], order=[('invoice_date', 'DESC NULLS FIRST'), ('id', 'DESC')],
        limit=PAGE_SIZE)
    return page.render('repair_statements.html', rebates=rebates,
        compensations=compensations, credit_notes=credit_notes,
        amount=amount_formatter(page))
