"Customer invoices and credit notes of the repair network"
from trytond.pool import Pool, PoolMeta


def revenue_journal():
    "Return the journal of customer invoices"
    Invoice = Pool().get('account.invoice')
    invoice = Invoice(type='out')
    invoice.set_journal()
    return invoice.journal


def customer_invoice(company, party, date, description, journal):
    "Return a new customer invoice (unsaved) to party dated date"
    Invoice = Pool().get('account.invoice')
    invoice = Invoice(
        company=company, type='out', party=party, invoice_date=date,
        currency=company.currency, description=description, journal=journal,
        lines=[])
    invoice.on_change_party()
    return invoice


def invoice_line(invoice, product, quantity, unit_price, description,
        origin):
    """Add to invoice a line of quantity product at unit_price

    A negative quantity credits the party: an invoice whose total is
    negative is a credit note.
    """
    Line = Pool().get('account.invoice.line')
    line = Line(
        invoice=invoice, company=invoice.company,
        currency=invoice.currency, type='line', product=product,
        quantity=quantity, description=description, origin=origin)
    line.on_change_product()
    line.unit_price = unit_price
    invoice.lines = list(invoice.lines) + [line]
    return line


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'aftersales.repair.order',
            'aftersales.repair.point',
            'aftersales.repair.settlement.line',
            ]
