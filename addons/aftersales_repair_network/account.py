"Customer invoices and credit notes of the repair network"
from trytond.pool import PoolMeta


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def _get_revenue_journal(cls):
        "Return the journal of customer invoices"
        invoice = cls(type='out')
        invoice.set_journal()
        return invoice.journal

    @classmethod
    def _get_aftersales_invoice(cls, company, party, date, description,
            journal):
        """Return a new customer invoice (unsaved) to party dated date

        The documents of the repair network build their invoices and
        credit notes on it in their _get_invoice.
        """
        invoice = cls(
            company=company, type='out', party=party, invoice_date=date,
            currency=company.currency, description=description,
            journal=journal, lines=[])
        invoice.on_change_party()
        return invoice

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        # Unchanged values are left out, as stock.move does: writing the
        # empty number fields of each new invoice cost an UPDATE per
        # invoice, and its taxes computed again
        return {name: value for name, value in values.items()
            if getattr(self, name, None) != value}


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'aftersales.repair.order',
            'aftersales.repair.point',
            'aftersales.repair.settlement.line',
            ]

    @classmethod
    def _get_origin_invoices(cls, origins):
        """Return {origin id: the id of the invoice of its line, or None}
        of the origins, records of one model"""
        invoices = {l.origin.id: l.invoice.id for l in cls.search([
                    ('origin', 'in', [str(o) for o in origins]),
                    ])}
        return {o.id: invoices.get(o.id) for o in origins}

    @classmethod
    def _get_aftersales_line(cls, invoice, product, quantity, unit_price,
            description, origin):
        """Add to invoice a line of quantity product at unit_price

        A negative quantity credits the party: an invoice whose total is
        negative is a credit note.
        """
        line = cls(
            invoice=invoice, company=invoice.company,
            currency=invoice.currency, type='line', product=product,
            quantity=quantity, description=description, origin=origin)
        line.on_change_product()
        line.unit_price = unit_price
        invoice.lines = list(invoice.lines) + [line]
        return line
