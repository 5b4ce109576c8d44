from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.product import price_digits
from trytond.pool import Pool
from trytond.pyson import Bool, Eval

from .document import (
    CurrencyMixin, DatedDocumentMixin, owner_field, state_buttons,
    state_field)
from .configuration import NumberedMixin
from .exceptions import QuoteError
from .stamp import stamp_values, step_stamps
from .party_field import party_field

_states = {'readonly': Eval('state') != 'draft'}


class Quote(CurrencyMixin, DatedDocumentMixin, NumberedMixin, Workflow,
        ModelSQL, ModelView):
    """Out-of-Warranty Repair Quote

    The replaced parts at their price plus the policy's repair fee (W2),
    quoted to the customer as a sale.
    """
    __string__ = "Out-of-Warranty Repair Quote"
    __name__ = 'aftersales.warranty.quote'
    _number_sequence = 'quote_sequence'
    _copy_reset = ['sale', 'waived_by', 'waived_at']

    date = fields.Date("Date", required=True, states=_states)
    customer = party_field(
        "Customer", required=True, states=_states)
    registration = fields.Many2One(
        'aftersales.warranty.registration', "Registration", states=_states)
    product = fields.Many2One(
        'product.product', "Repaired Product", required=True,
        context={'company': Eval('company', -1)}, depends={'company'},
        states=_states, domain=[('type', '=', 'goods')])
    lot = fields.Many2One(
        'stock.lot', "Lot", states=_states,
        domain=[('product', '=', Eval('product', -1))])
    lines = fields.One2Many(
        'aftersales.warranty.quote.line', 'quote', "Replaced Parts",
        states=_states)
    fee_rate = fields.Numeric(
        "Repair Fee Rate", digits=(4, 4), states=_states,
        domain=['OR', ('fee_rate', '=', None), ('fee_rate', '>=', 0)],
        help="The repair fee rate of the product's warranty policy; "
        "empty when no policy covers the product, and no fee is charged.")
    fee_waived = fields.Boolean("Fee Waived", states=_states)
    waiver_reason = fields.Text(
        "Waiver Reason", states={
            'readonly': _states['readonly'],
            'invisible': ~Eval('fee_waived', False),
            'required': Bool(Eval('fee_waived', False)),
            })
    waived_by, waived_at = step_stamps(
        "Waived", states={'invisible': ~Eval('fee_waived', False)})
    parts_amount = fields.Function(
        Monetary("Parts", currency='currency', digits='currency'),
        'on_change_with_parts_amount')
    fee_amount = fields.Function(
        Monetary("Repair Fee", currency='currency', digits='currency'),
        'on_change_with_fee_amount')
    total_amount = fields.Function(
        Monetary("Total", currency='currency', digits='currency'),
        'on_change_with_total_amount')
    sale = fields.Many2One('sale.sale', "Sale", readonly=True)
    state = state_field([
            ('draft', "Draft"),
            ('quoted', "Quoted"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('draft', 'quoted'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update(state_buttons(
                quote=['draft'], cancel=['draft'], draft=['cancelled']))

    @classmethod
    def default_fee_waived(cls):
        return False

    @fields.depends('registration')
    def on_change_registration(self):
        if self.registration:
            self.customer = self.registration.customer
            self.product = self.registration.product
            self.lot = self.registration.lot

    @fields.depends('product')
    def on_change_product(self):
        if self.product:
            policy = self.product.template.get_warranty_policy()
            self.fee_rate = policy.repair_fee_rate if policy else None

    @classmethod
    def for_unit(cls, document, customer):
        """Return the draft quote (unsaved), with no parts yet, of the repair
        of the unit a document is about: its registration, product and lot
        on its company and date"""
        quote = cls(
            company=document.company, date=document.date, customer=customer,
            registration=document.registration, product=document.product,
            lot=document.lot, fee_waived=False, lines=[])
        quote.on_change_product()
        return quote

    @fields.depends('lines', 'currency')
    def on_change_with_parts_amount(self, name=None):
        amount = sum((l.amount or Decimal(0) for l in self.lines or []),
            Decimal(0))
        return self.currency.round(amount) if self.currency else amount

    @fields.depends('fee_rate', 'fee_waived', 'currency',
        methods=['on_change_with_parts_amount'])
    def on_change_with_fee_amount(self, name=None):
        if self.fee_waived or self.fee_rate is None:
            amount = Decimal(0)
        else:
            amount = self.on_change_with_parts_amount() * self.fee_rate
        return self.currency.round(amount) if self.currency else amount

    @fields.depends(methods=['on_change_with_parts_amount',
            'on_change_with_fee_amount'])
    def on_change_with_total_amount(self, name=None):
        return (self.on_change_with_parts_amount()
            + self.on_change_with_fee_amount())

    @classmethod
    @ModelView.button
    @Workflow.transition('quoted')
    def quote(cls, quotes):
        "Quote the repair to the customer as a sale quotation (W2)"
        pool = Pool()
        Sale = pool.get('sale.sale')
        fee_product = pool.get('aftersales.configuration')(1
            ).repair_fee_product
        for quote in quotes:
            if not quote.lines:
                raise QuoteError(gettext(
                        'aftersales_warranty.msg_quote_no_parts',
                        quote=quote.rec_name))
            if not quote.fee_waived and quote.fee_amount and not fee_product:
                raise QuoteError(gettext(
                        'aftersales_warranty.msg_quote_no_fee_product'))
            quote.sale = quote.get_sale(fee_product)
        Sale.save([q.sale for q in quotes])
        cls.save(quotes)
        cls.write([q for q in quotes if q.fee_waived],
            stamp_values(cls, 'waived'))
        Sale.quote([q.sale for q in quotes])

    def get_sale(self, fee_product):
        pool = Pool()
        Sale = pool.get('sale.sale')
        SaleLine = pool.get('sale.line')
        sale = Sale(
            company=self.company, party=self.customer,
            sale_date=self.date,
            reference=self.number,
            description=gettext(
                'aftersales_warranty.msg_quote_sale_description',
                product=self.product.rec_name))
        sale.on_change_party()
        lines = [self._sale_line(SaleLine, sale, l.product, l.quantity,
                l.unit_price) for l in self.lines]
        if self.fee_waived:
            lines.append(SaleLine(
                    sale=sale, type='comment',
                    description=gettext(
                        'aftersales_warranty.msg_quote_fee_waived',
                        reason=self.waiver_reason)))
        elif self.fee_amount:
            lines.append(self._sale_line(
                    SaleLine, sale, fee_product, 1, self.fee_amount))
        sale.lines = lines
        return sale

    @staticmethod
    def _sale_line(SaleLine, sale, product, quantity, unit_price):
        line = SaleLine(
            sale=sale, type='line', product=product, quantity=quantity)
        line.on_change_product()
        line.unit_price = unit_price
        return line

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, quotes):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, quotes):
        pass


class QuoteLine(ModelSQL, ModelView):
    __string__ = "Out-of-Warranty Repair Quote Part"
    __name__ = 'aftersales.warranty.quote.line'

    quote = owner_field('aftersales.warranty.quote', "Quote")
    product = fields.Many2One(
        'product.product', "Part", required=True,
        domain=[('salable', '=', True)])
    quantity = fields.Float("Quantity", required=True,
        domain=[('quantity', '>', 0)])
    unit_price = Monetary(
        "Unit Price", currency='currency', digits=price_digits,
        required=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    amount = fields.Function(
        Monetary("Amount", currency='currency', digits='currency'),
        'on_change_with_amount')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('quote')

    @classmethod
    def default_quantity(cls):
        return 1

    @fields.depends('quote', '_parent_quote.company')
    def on_change_with_currency(self, name=None):
        if self.quote and self.quote.company:
            return self.quote.company.currency

    @fields.depends('product')
    def on_change_product(self):
        if self.product:
            self.unit_price = self.product.list_price_used

    @fields.depends('quantity', 'unit_price',
        methods=['on_change_with_currency'])
    def on_change_with_amount(self, name=None):
        if self.quantity is None or self.unit_price is None:
            return Decimal(0)
        amount = Decimal(str(self.quantity)) * self.unit_price
        currency = self.on_change_with_currency()
        return currency.round(amount) if currency else amount
