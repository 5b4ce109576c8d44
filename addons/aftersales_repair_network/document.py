"The pieces the repair network's documents and settings share"
from trytond.model import Index, fields
from trytond.pyson import Eval
from trytond.transaction import Transaction


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


class CompanyMixin:
    "A record of a company, the user's by default"
    __slots__ = ()

    company = fields.Many2One('company.company', "Company", required=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')


class CurrencyMixin:
    "A record whose amounts are in its company's currency"
    __slots__ = ()

    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None


def search_rec_name_in(clause, *names):
    """Return the domain of the rec_name clause searched in each field of
    names: any of them matches, none for a negative operator"""
    _, operator, operand, *extra = clause
    if operator.startswith('!') or operator.startswith('not '):
        bool_op = 'AND'
    else:
        bool_op = 'OR'
    return [bool_op] + [(n, operator, operand, *extra) for n in names]


def rate_field(string, name, help=''):
    "Return a required share field name: between 0 and 1, 0.3 is 30 %"
    return fields.Numeric(
        string, digits=(4, 4), required=True,
        domain=[(name, '>=', 0), (name, '<=', 1)], help=help)
