"The pieces the repair network's documents and settings share"
from trytond.model import Index, fields
from trytond.pyson import Eval


class PointDocumentMixin:
    """A document of a repair point of its company

    The point is chosen while the document is in its initial state.
    """
    __slots__ = ()

    point = fields.Many2One(
        'aftersales.repair.point', "Repair Point", required=True,
        domain=[('company', '=', Eval('company', -1))])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.point.states['readonly'] = Eval('state') != cls._initial_state
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.point, Index.Range())))


class ApprovedPointMixin(PointDocumentMixin):
    "A document of a repair point that only an approved point may start"
    __slots__ = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.point.domain.append(('state', '=', 'approved'))


def running_in(start_date, end_date):
    """Return the domain of the records running at some time from
    start_date to end_date: started by its end and not ended, if ever,
    before its start"""
    return [
        ('start_date', '<=', end_date),
        ['OR',
            ('end_date', '=', None),
            ('end_date', '>=', start_date),
            ],
        ]


def rate_field(string, name, help=''):
    "Return a required share field name: between 0 and 1, 0.3 is 30 %"
    return fields.Numeric(
        string, digits=(4, 4), required=True,
        domain=[(name, '>=', 0), (name, '<=', 1)], help=help)
