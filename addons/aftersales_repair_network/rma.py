"""The monthly return of the repair points' faulty parts

Registered only when aftersales_rma is activated too.
"""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.aftersales_warranty.configuration import (
    default_record)
from trytond.modules.aftersales_warranty.document import state_buttons
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .exceptions import StockError


class Configuration(metaclass=PoolMeta):
    __name__ = 'aftersales.configuration'

    repair_return_reason = fields.Many2One(
        'aftersales.rma.reason', "Repair Points' Return Reason",
        required=True, domain=[('quality', '=', True)],
        help="The reason of the repair points' faulty parts put on their "
        "office's monthly return.")

    default_repair_return_reason = default_record(
        'aftersales_rma', 'reason_quality')


class Application(metaclass=PoolMeta):
    __name__ = 'aftersales.rma.application'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update(state_buttons(add_repair_faulty=['draft']))

    @classmethod
    @ModelView.button
    def add_repair_faulty(cls, applications):
        """Put the faulty parts held by the sender's repair points on the
        return (R3)

        The parts leave the points for the office or logistics partner,
        which sends them back to the factory with its monthly return.
        """
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        Date = pool.get('ir.date')
        Line = pool.get('aftersales.rma.application.line')
        Move = pool.get('stock.move')
        Point = pool.get('aftersales.repair.point')
        Product = pool.get('product.product')
        applications = [a for a in applications if a.state == 'draft']
        reason = Configuration(1).repair_return_reason
        today = Date.today()
        points = defaultdict(list)
        for point in Point.search([
                    ('office', 'in', [a.sender.id for a in applications]),
                    ('faulty_location', '!=', None),
                    ]):
            points[point.office].append(point)
        locations = [p.faulty_location.id for ps in points.values()
            for p in ps]
        with Transaction().set_context(stock_date_end=today):
            quantities = Product.products_by_location(locations)
        products = Product.browse(sorted({
                    product for (_, product), quantity in quantities.items()
                    if quantity > 0}))
        lines = []
        for application in applications:
            for point in points[application.sender]:
                location = point.faulty_location.id
                for product in products:
                    quantity = quantities.get((location, product.id), 0)
                    if quantity <= 0:
                        continue
                    lines.append(Line(
                            application=application, product=product,
                            quantity=quantity, unit=product.default_uom,
                            reason=reason, repair_point=point,
                            description=gettext(
                                'aftersales_repair_network'
                                '.msg_rma_line_description',
                                point=point.rec_name)))
        Line.save(lines)
        Move.do_or_raise([l._get_faulty_move(today) for l in lines],
            StockError(gettext(
                    'aftersales_repair_network.msg_rma_stock_short',
                    applications=', '.join(
                        a.rec_name for a in applications))))


class ApplicationLine(metaclass=PoolMeta):
    __name__ = 'aftersales.rma.application.line'

    repair_point = fields.Many2One(
        'aftersales.repair.point', "Repair Point", readonly=True,
        help="The repair point whose faulty parts this line returns.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._copy_reset = cls._copy_reset + ['repair_point']

    def _get_faulty_move(self, date):
        """Return the move (unsaved) of the repair point's faulty parts to
        the sender, who returns them"""
        Move = Pool().get('stock.move')
        return Move._get_aftersales_move(
            self.product, self.quantity, self.repair_point.faulty_location,
            self.application.sender.customer_location,
            self.application.company, self, date)

    def returns_delivered_goods(self):
        "A repair point's faulty parts were never delivered to the sender"
        return super().returns_delivered_goods() and not self.repair_point
