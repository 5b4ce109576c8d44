"Documents late on their due dates"
from trytond import backend
from trytond.model import fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice


def overdue_field(help, string="Overdue"):
    """Return the overdue field of an OverdueMixin document; help says
    when the document is overdue"""
    return fields.Function(
        fields.Boolean(string, help=help),
        'get_overdue', searcher='search_overdue')


class OverdueMixin:
    """A document that is overdue when it is late on one of its due dates

    The model declares its overdue field with overdue_field and gives
    _overdue_domain(date), the domain of its documents late on date.
    Overdue is computed from the due dates, the state and today, so lists
    filter on it and it never goes stale. The mixin comes before
    DocumentMixin: the overdue rows of a list are red.
    """
    __slots__ = ()

    @classmethod
    def _list_visual(cls):
        visual, depends = super()._list_visual()
        return If(Eval('overdue'), 'danger', visual), depends + ['overdue']

    @classmethod
    def get_overdue(cls, records, name):
        today = Pool().get('ir.date').today()
        overdue = set()
        for sub_records in grouped_slice(records, backend.MAX_QUERY_PARAMS):
            overdue.update(r.id for r in cls.search([
                        ('id', 'in', [r.id for r in sub_records]),
                        cls._overdue_domain(today),
                        ]))
        return {r.id: r.id in overdue for r in records}

    @classmethod
    def search_overdue(cls, name, clause):
        _, operator, value = clause
        domain = cls._overdue_domain(Pool().get('ir.date').today())
        if (operator == '=') == bool(value):
            return domain
        return [('id', 'not in', cls.search(domain, query=True))]
