from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('aftersales.repair.order|flag_overdue',
                    "Flag Overdue Repair Orders"),
                ('aftersales.repair.point|replenish',
                    "Propose Parts Replenishment"),
                ])
