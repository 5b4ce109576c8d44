"The skeleton every after-sales document shares"
from trytond.pyson import Eval, If
from trytond.transaction import Transaction


class DocumentMixin:
    """A document of a company, with a state

    Its company defaults to the user's; its list greys out the rows whose
    state is in _muted_states, and _list_visual may colour others.
    """
    __slots__ = ()
    _muted_states = ['cancelled']

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def view_attributes(cls):
        visual, depends = cls._list_visual()
        return super().view_attributes() + [
            ('/tree', 'visual', visual, depends),
            ]

    @classmethod
    def _list_visual(cls):
        "Return the PYSON colouring a row of the list and the fields it reads"
        return (If(Eval('state').in_(cls._muted_states), 'muted', ''),
            ['state'])
