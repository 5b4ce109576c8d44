from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.aftersales_warranty.coded import CodedMixin
from trytond.modules.aftersales_warranty.document import search_rec_name_in


class Reason(CodedMixin, ModelSQL, ModelView):
    "Return Reason"
    __name__ = 'aftersales.rma.reason'
    __string__ = "Return Reason"
    _code_unique = 'aftersales_rma.msg_reason_code_unique'

    quality = fields.Boolean(
        "Quality Defect",
        help="A quality return travels at the company's cost; "
        "any other return at the customer's, and only for unused goods in "
        "intact packaging inside the return period.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('code', 'ASC'))

    def get_rec_name(self, name):
        return '[%s] %s' % (self.code, self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        return search_rec_name_in(clause, 'code', 'name')
