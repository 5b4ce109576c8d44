from trytond.model import fields
from trytond.modules.aftersales_warranty.field_states import readonly_in
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.currency.fields import Monetary
from trytond.pool import PoolMeta

_open = readonly_in('done', 'cancelled')


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['aftersales.rma.application.line']


class ShipmentOutReturn(metaclass=PoolMeta):
    "The transport of the returned goods, shown on their return application"
    __name__ = 'stock.shipment.out.return'

    return_carrier = party_field(
        "Carrier", states=_open,
        help="The party carrying the goods back.")
    shipped_date = fields.Date(
        "Dispatch Date", states=_open,
        help="The day the goods left the customer.")
    freight_cost = Monetary(
        "Freight Cost", currency='freight_currency', digits='freight_currency',
        domain=['OR',
            ('freight_cost', '=', None),
            ('freight_cost', '>=', 0)],
        states=_open)
    freight_currency = fields.Function(
        fields.Many2One('currency.currency', "Freight Currency"),
        'on_change_with_freight_currency')

    @fields.depends('company')
    def on_change_with_freight_currency(self, name=None):
        return self.company.currency if self.company else None


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['aftersales.rma.application.line']
