from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.modules.aftersales_warranty.document import (
    CompanyMixin, CurrencyMixin, owner_field)
from trytond.modules.currency.fields import Monetary
from trytond.pyson import Eval

from .part import PartLevelMixin


class Scale(CompanyMixin, CurrencyMixin, DeactivableMixin, sequence_ordered(),
        ModelSQL, ModelView):
    __string__ = "Repair Point Sales Scale"
    __name__ = 'aftersales.repair.scale'

    name = fields.Char("Name", required=True, translate=True)
    minimum_sales = Monetary(
        "Minimum Annual Sales", currency='currency', digits='currency',
        required=True, domain=[('minimum_sales', '>=', 0)],
        help="A coverage area selling at least this much a year is of "
        "this scale or a larger one.")
    parts = fields.One2Many(
        'aftersales.repair.scale.part', 'scale', "Initial Parts",
        help="The parts a repair point of this scale is stocked with,"
        " and the levels below which it is replenished.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('minimum_sales', 'ASC'))

    @classmethod
    def for_sales(cls, company, amount):
        "Return the largest active scale whose minimum amount reaches"
        scales = cls.search([
                ('company', '=', company.id),
                ('minimum_sales', '<=', amount),
                ], order=[('minimum_sales', 'DESC')], limit=1)
        return scales[0] if scales else None


class ScalePart(PartLevelMixin, ModelSQL, ModelView):
    __string__ = "Repair Point Sales Scale Part"
    __name__ = 'aftersales.repair.scale.part'
    _document = 'scale'

    scale = owner_field('aftersales.repair.scale', "Scale")
    quantity = fields.Float(
        "Initial Quantity", required=True,
        domain=[('quantity', '>', 0)])
    safety_quantity = fields.Float(
        "Safety Quantity", required=True,
        domain=[
            ('safety_quantity', '>=', 0),
            ('safety_quantity', '<=', Eval('quantity', 0)),
            ],
        help="Below this quantity at the point, a replenishment is "
        "proposed.")
