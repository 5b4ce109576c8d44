"Stock moves of the repair network's parts"
from decimal import Decimal

from trytond.pool import PoolMeta


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'aftersales.repair.requisition.line',
            'aftersales.repair.exchange.line',
            'aftersales.repair.order',
            'aftersales.repair.order.line',
            ]

    @classmethod
    def _get_aftersales_move(cls, product, quantity, from_location,
            to_location, company, origin, date, unit_price=None):
        """Return a new move (unsaved) of quantity product on date

        The documents of the repair network build their moves on it in
        their _get_move.
        """
        move = cls(
            product=product, unit=product.default_uom, quantity=quantity,
            from_location=from_location, to_location=to_location,
            company=company, origin=origin, planned_date=date,
            effective_date=date)
        if move.on_change_with_unit_price_required():
            move.unit_price = unit_price if unit_price is not None else (
                Decimal(0))
            move.currency = company.currency
        return move

    @classmethod
    def do_or_raise(cls, moves, error):
        """Save moves, assign those leaving stock and do them all

        Raise error when stock is short: then nothing moves.
        """
        cls.save(moves)
        if not cls.assign_try([m for m in moves if m.assignation_required]):
            raise error
        cls.do(moves)
