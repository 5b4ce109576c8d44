"The states of a document's fields, by the state the document is in"
from trytond.pyson import Eval


def editable_in(*states, field='state'):
    """Return the field states of a field that can be changed only while
    the record's field (its state) is one of states

    editable_in('draft') is {'readonly': Eval('state') != 'draft'}.
    """
    if len(states) == 1:
        return {'readonly': Eval(field) != states[0]}
    return {'readonly': ~Eval(field).in_(list(states))}


def readonly_in(*states, field='state'):
    """Return the field states of a field that can no longer be changed
    once the record's field (its state) is one of states"""
    return {'readonly': Eval(field).in_(list(states))}
