"""Who took a step of a document, and when

A step's stamp is the user in the field <step>_by and the time in
<step>_at, of those two fields the model has.
"""
import datetime as dt
import functools

from trytond.model import fields
from trytond.transaction import Transaction


def step_stamps(string, states=None):
    """Return the read-only fields stamping a step: <string> By, the user,
    and <string> At, the time"""
    return (
        fields.Many2One('res.user', "%s By" % string, readonly=True,
            states=dict(states or {})),
        fields.Timestamp("%s At" % string, readonly=True,
            states=dict(states or {})))


def stamp_fields(Model, step):
    "Return the names of the fields of Model that stamp step"
    names = [f'{step}_by', f'{step}_at']
    return [n for n in names if n in Model._fields]


def stamp_defaults():
    """Return the default methods of a stamp taken when the record is
    created: the user and the time now"""
    @classmethod
    def default_user(cls):
        return Transaction().user

    @classmethod
    def default_now(cls):
        return dt.datetime.now()

    return default_user, default_now


def stamp_values(Model, step):
    "Return the values stamping step with the user and the time now"
    values = {
        f'{step}_by': Transaction().user,
        f'{step}_at': dt.datetime.now(),
        }
    return {n: values[n] for n in stamp_fields(Model, step)}


def stamp(step):
    """Decorate a method of records to stamp step on those that have no
    stamp of it yet, after the method, as company.model.set_employee does
    """
    def decorator(func):
        @functools.wraps(func)
        def wrapper(cls, records, *args, **kwargs):
            result = func(cls, records, *args, **kwargs)
            first, *_ = stamp_fields(cls, step)
            cls.write([r for r in records if not getattr(r, first)],
                stamp_values(cls, step))
            return result
        return wrapper
    return decorator


def reset_stamps(*steps):
    """Decorate a method of records to clear the stamps of steps after it,
    as company.model.reset_employee does"""
    def decorator(func):
        @functools.wraps(func)
        def wrapper(cls, records, *args, **kwargs):
            result = func(cls, records, *args, **kwargs)
            cls.write(records, {
                    n: None for s in steps for n in stamp_fields(cls, s)})
            return result
        return wrapper
    return decorator
