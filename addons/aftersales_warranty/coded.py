"The short lists a user picks from by a code"
from trytond.model import DeactivableMixin, Unique, fields


class CodedMixin(DeactivableMixin):
    """An entry of a short list: a unique code and a translated name

    _code_unique names the message of a code used twice.
    """
    __slots__ = ()
    _code_unique = None

    code = fields.Char("Code", required=True)
    name = fields.Char("Name", required=True, translate=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code), cls._code_unique),
            ]
