from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool


class Cause(DeactivableMixin, ModelSQL, ModelView):
    "What caused the defect a warranty claim is about"
    __string__ = "Defect Cause"
    __name__ = 'aftersales.warranty.cause'

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True)
    covered = fields.Boolean(
        "Covered",
        help="The warranty covers a defect of this cause.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'aftersales_warranty.msg_cause_code_unique'),
            ]
        cls._order.insert(0, ('name', 'ASC'))

    @classmethod
    def default_covered(cls):
        return False

    @classmethod
    def quality_fault(cls):
        "Return the id of the quality fault cause, the check's default"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        return ModelData.get_id('aftersales_warranty', 'cause_quality')
