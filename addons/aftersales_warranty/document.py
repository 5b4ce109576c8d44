"The skeleton every after-sales document shares"
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction


def state_buttons(**shown_in):
    """Return the _buttons entries that show each button only in its states

    state_buttons(do=['draft'], draft=['cancelled']) shows "do" on draft
    documents and "draft" on cancelled ones.
    """
    return {
        button: {
            'invisible': ~Eval('state').in_(states),
            'depends': ['state'],
            }
        for button, states in shown_in.items()}


def state_field(selection):
    """Return the state field of a document: required, listed in the order
    of the workflow and changed only by its transitions"""
    return fields.Selection(
        selection, "State", readonly=True, required=True, sort=False)


def owner_field(model, string, **kwargs):
    """Return the Many2One to the record a line or a link belongs to:
    required, and deleted with it"""
    return fields.Many2One(
        model, string, required=True, ondelete='CASCADE', **kwargs)


def save_links(records, name, targets):
    """Save targets, one per record, then link each record to its target
    through the field name and save the records, in one batch each"""
    if records:
        targets[0].__class__.save(targets)
        for record, target in zip(records, targets):
            setattr(record, name, target)
        records[0].__class__.save(records)


def lock_and_read(Model, records):
    """Lock the records of Model and return them read again: what another
    transaction changed before the lock is read, and nothing after it"""
    Model.lock(records)
    return Model.browse([r.id for r in records])


class CopyResetMixin:
    """A record whose copy does not keep the fields named in _copy_reset

    The copy gets their default value instead, or none.
    """
    __slots__ = ()
    _copy_reset = []

    @classmethod
    def copy(cls, records, default=None):
        default = default.copy() if default is not None else {}
        defaults = cls.default_get(cls._copy_reset, with_rec_name=False)
        for name in cls._copy_reset:
            default.setdefault(name, defaults.get(name))
        return super().copy(records, default=default)


class ColouredListMixin:
    """A record with a state whose list greys out the rows whose state is in
    _muted_states; _list_visual may colour others"""
    __slots__ = ()
    _muted_states = ['cancelled']

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


class DocumentMixin(CompanyMixin, CopyResetMixin, ColouredListMixin):
    """A document of a company, with a state

    Its state defaults to _initial_state and its company to the user's,
    which is read-only once the state moved on; only the documents in
    _deletable_states can be deleted.
    """
    __slots__ = ()
    _initial_state = 'draft'
    _deletable_states = ['draft', 'cancelled']

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.company.states['readonly'] = (
            Eval('state') != cls._initial_state)

    @classmethod
    def default_state(cls):
        return cls._initial_state

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete':
            for record in records:
                if record.state not in cls._deletable_states:
                    names = cls.__names__('state', record)
                    raise AccessError(gettext(
                            'aftersales_warranty.msg_document_delete',
                            model=names['model'], document=names['record'],
                            state=names['value']))


class DatedDocumentMixin(DocumentMixin):
    "A document whose date defaults to today, listed the latest first"
    __slots__ = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()
