from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.pool import Pool
from trytond.pyson import Eval, Id

MODULE = 'aftersales_warranty'
CONTEXT_COMPANY = Eval('context', {}).get('company', -1)


def sequence_field(
        string, module, name, help='', company=Eval('company', -1)):
    """Return a required field to the sequences of type
    module.sequence_type_<name> that belong to company or to no company

    The value models keep the default company, their own company field;
    the configuration's MultiValue passes CONTEXT_COMPANY, the user's.
    """
    return fields.Many2One(
        'ir.sequence', string, required=True,
        domain=[
            ('company', 'in', [company, None]),
            ('sequence_type', '=', Id(module, 'sequence_type_' + name)),
            ],
        help=help)


def default_record(module, xml_id):
    "Return a default method giving the record module.xml_id"
    @classmethod
    def default(cls):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id(module, xml_id)
        except KeyError:
            return None
    return default


def default_value(field_name):
    "Return a default method of the configuration taken from its value model"
    @classmethod
    def default(cls, **pattern):
        return getattr(
            cls.multivalue_model(field_name),
            'default_%s' % field_name, lambda: None)()
    return default


def add_sequences(Configuration, ConfigurationSequence, module, sequences):
    """Give the configuration and its sequence values a field for each
    sequence of module

    sequences maps each field name to its label, the name of its sequence
    type and default sequence, and maybe a help text.
    """
    def add(name, string, sequence, help=''):
        setattr(Configuration, name, fields.MultiValue(sequence_field(
                    string, module, sequence, help=help,
                    company=CONTEXT_COMPANY)))
        setattr(Configuration, 'default_' + name, default_value(name))
        setattr(ConfigurationSequence, name,
            sequence_field(string, module, sequence, help=help))
        setattr(ConfigurationSequence, 'default_' + name,
            default_record(module, 'sequence_' + sequence))

    for name, spec in sequences.items():
        add(name, *spec)


def days_field(string, name, help='', minimum=0):
    "Return a required number of days field name, minimum at least"
    return fields.Integer(
        string, required=True, domain=[(name, '>=', minimum)], help=help)


class Configuration(
        ModelSingleton, ModelSQL, ModelView, CompanyMultiValueMixin):
    __string__ = "After-Sales Configuration"
    __name__ = 'aftersales.configuration'

    repair_fee_product = fields.Many2One(
        'product.product', "Repair Fee Product",
        domain=[('type', '=', 'service'), ('salable', '=', True)],
        help="The service sold as the out-of-warranty repair fee.")

    @classmethod
    def multivalue_model(cls, field):
        "Every sequence field is a field of the sequence value model"
        Sequence = Pool().get('aftersales.configuration.sequence')
        if field in Sequence._fields:
            return Sequence
        return super().multivalue_model(field)

    @classmethod
    def company_value(cls, field_name, company):
        "Return the value of the configuration field field_name for company"
        return cls(1).get_multivalue(field_name, company=company.id)

    @classmethod
    def next_number(cls, field_name, company):
        "Return the next number of the company's sequence field_name"
        sequence = cls(1).get_multivalue(field_name, company=company)
        return sequence.get()


class ConfigurationSequence(ModelSQL, CompanyValueMixin):
    __string__ = "After-Sales Configuration Sequence"
    __name__ = 'aftersales.configuration.sequence'


# field name: (label, name of the sequence type and of the default sequence)
SEQUENCES = {
    'registration_sequence': (
        "Warranty Registration Sequence", 'registration'),
    'inspection_sequence': ("Exchange Inspection Sequence", 'inspection'),
    'referral_sequence': ("Warranty Referral Sequence", 'referral'),
    'quote_sequence': ("Repair Quote Sequence", 'quote'),
    }
add_sequences(Configuration, ConfigurationSequence, MODULE, SEQUENCES)


class NumberedMixin:
    """A document named by its number, searched as it is written, numbered
    on creation from its company's sequence in the after-sales configuration

    _number_sequence names the configuration field of that sequence; a copy
    gets a new number.
    """
    __slots__ = ()
    _rec_name = 'number'
    _number_sequence = None

    number = fields.Char("Number", readonly=True)

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()

    @classmethod
    def preprocess_values(cls, mode, values):
        Configuration = Pool().get('aftersales.configuration')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('number'):
            values['number'] = Configuration.next_number(
                cls._number_sequence,
                values.get('company', cls.default_company()))
        return values

    @classmethod
    def copy(cls, records, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        return super().copy(records, default=default)
