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


def configuration_sequence(string, module, name, help=''):
    """Return the configuration's field <name>_sequence, the user's company
    sequence of type module.sequence_type_<name>, and its default method

    The value is stored in the sequence value model, which gives the
    default.
    """
    return (
        fields.MultiValue(sequence_field(
                string, module, name, help=help, company=CONTEXT_COMPANY)),
        default_value(name + '_sequence'))


def value_sequence(string, module, name, help=''):
    """Return the sequence value model's field <name>_sequence and its
    default method, giving the sequence module.sequence_<name>"""
    return (
        sequence_field(string, module, name, help=help),
        default_record(module, 'sequence_' + name))


class Configuration(
        ModelSingleton, ModelSQL, ModelView, CompanyMultiValueMixin):
    __string__ = "After-Sales Configuration"
    __name__ = 'aftersales.configuration'

    registration_sequence, default_registration_sequence = (
        configuration_sequence(
            "Warranty Registration Sequence", MODULE, 'registration'))
    inspection_sequence, default_inspection_sequence = (
        configuration_sequence(
            "Exchange Inspection Sequence", MODULE, 'inspection'))
    referral_sequence, default_referral_sequence = configuration_sequence(
        "Warranty Referral Sequence", MODULE, 'referral')
    quote_sequence, default_quote_sequence = configuration_sequence(
        "Repair Quote Sequence", MODULE, 'quote')
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
    def next_number(cls, field_name, company):
        "Return the next number of the company's sequence field_name"
        sequence = cls(1).get_multivalue(field_name, company=company)
        return sequence.get()


class ConfigurationSequence(ModelSQL, CompanyValueMixin):
    __string__ = "After-Sales Configuration Sequence"
    __name__ = 'aftersales.configuration.sequence'

    registration_sequence, default_registration_sequence = value_sequence(
        "Warranty Registration Sequence", MODULE, 'registration')
    inspection_sequence, default_inspection_sequence = value_sequence(
        "Exchange Inspection Sequence", MODULE, 'inspection')
    referral_sequence, default_referral_sequence = value_sequence(
        "Warranty Referral Sequence", MODULE, 'referral')
    quote_sequence, default_quote_sequence = value_sequence(
        "Repair Quote Sequence", MODULE, 'quote')


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
