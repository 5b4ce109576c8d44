from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.modules.currency.fields import Monetary
from trytond.pyson import Eval
from trytond.transaction import Transaction


class Scale(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    __string__ = "Repair Point Sales Scale"
    __name__ = 'aftersales.repair.scale'

    name = fields.Char("Name", required=True, translate=True)
    company = fields.Many2One('company.company', "Company", required=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
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
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @classmethod
    def for_sales(cls, company, amount):
        "Return the largest active scale whose minimum amount reaches"
        scales = cls.search([
                ('company', '=', company.id),
                ('minimum_sales', '<=', amount),
                ], order=[('minimum_sales', 'DESC')], limit=1)
        return scales[0] if scales else None


class ScalePart(ModelSQL, ModelView):
    __string__ = "Repair Point Sales Scale Part"
    __name__ = 'aftersales.repair.scale.part'

    scale = fields.Many2One(
        'aftersales.repair.scale', "Scale", required=True,
        ondelete='CASCADE')
    product = fields.Many2One(
        'product.product', "Part", required=True,
        domain=[('type', '=', 'goods')])
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

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('scale')
        t = cls.__table__()
        cls._sql_constraints += [
            ('scale_product_unique', Unique(t, t.scale, t.product),
                'aftersales_repair_network.msg_scale_part_unique'),
            ]

    @classmethod
    def default_safety_quantity(cls):
        return 0
