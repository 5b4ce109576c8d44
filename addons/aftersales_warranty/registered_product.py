"The product a customer brings back, maybe registered for warranty"
from trytond.model import fields
from trytond.pyson import Eval


class RegisteredProductMixin:
    """A document about a product a customer bought: its warranty
    registration, if any, its lot and its purchase date

    They are chosen while the document is in its initial state; the
    registration fills them in, a lot its product.
    """
    __slots__ = ()

    registration = fields.Many2One(
        'aftersales.warranty.registration', "Warranty Registration",
        domain=[
            ('state', '=', 'active'),
            ('company', '=', Eval('company', -1)),
            ])
    product = fields.Many2One(
        'product.product', "Product", required=True,
        context={'company': Eval('company', -1)}, depends={'company'},
        domain=[('type', '=', 'goods')])
    lot = fields.Many2One(
        'stock.lot', "Lot", domain=[('product', '=', Eval('product', -1))])
    purchase_date = fields.Date("Purchase Date")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        for field in [
                cls.registration, cls.product, cls.lot, cls.purchase_date]:
            field.states['readonly'] = Eval('state') != cls._initial_state

    @fields.depends('registration')
    def on_change_registration(self):
        if self.registration:
            self.product = self.registration.product
            self.lot = self.registration.lot
            self.purchase_date = self.registration.purchase_date

    @fields.depends('lot')
    def on_change_lot(self):
        if self.lot:
            self.product = self.lot.product
