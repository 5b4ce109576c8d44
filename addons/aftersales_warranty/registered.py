"The product a document is about: its lot and its warranty registration"
from trytond.model import fields
from trytond.pyson import Eval

from .field_states import editable_in

_draft = editable_in('draft')


class ProductLotMixin:
    """A document about goods of a product, of a lot when it is known

    Both are chosen while the document is a draft; choosing the lot
    chooses its product.
    """
    __slots__ = ()

    product = fields.Many2One(
        'product.product', "Product", required=True, states=_draft,
        context={'company': Eval('company', -1)}, depends={'company'},
        domain=[('type', '=', 'goods')])
    lot = fields.Many2One(
        'stock.lot', "Lot", states=_draft,
        domain=[('product', '=', Eval('product', -1))])

    @fields.depends('lot')
    def on_change_lot(self):
        if self.lot:
            self.product = self.lot.product


class RegisteredProductMixin(ProductLotMixin):
    """A document about a customer's product, from its active warranty
    registration when it has one

    Choosing the registration fills the product, the lot and the purchase
    date.
    """
    __slots__ = ()

    registration = fields.Many2One(
        'aftersales.warranty.registration', "Warranty Registration",
        states=_draft,
        domain=[
            ('state', '=', 'active'),
            ('company', '=', Eval('company', -1)),
            ])
    purchase_date = fields.Date("Purchase Date", states=_draft)

    @fields.depends('registration')
    def on_change_registration(self):
        if self.registration:
            self.product = self.registration.product
            self.lot = self.registration.lot
            self.purchase_date = self.registration.purchase_date
