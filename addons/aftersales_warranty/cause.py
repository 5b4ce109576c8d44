from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

from .coded import CodedMixin


class Cause(CodedMixin, ModelSQL, ModelView):
    "What caused the defect a warranty claim is about"
    __string__ = "Defect Cause"
    __name__ = 'aftersales.warranty.cause'
    _code_unique = 'aftersales_warranty.msg_cause_code_unique'

    covered = fields.Boolean(
        "Covered",
        help="The warranty covers a defect of this cause.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
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
