from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Id


def default_sequence(module, xml_id):
    "Return a default method giving the sequence module.xml_id"
    @classmethod
    def default(cls):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id(module, xml_id)
        except KeyError:
            return None
    return default


class Configuration(ModelSingleton, ModelSQL, ModelView):
    __string__ = "After-Sales Configuration"
    __name__ = 'aftersales.configuration'

    registration_sequence = fields.Many2One(
        'ir.sequence', "Warranty Registration Sequence", required=True,
        domain=[('sequence_type', '=', Id(
                'aftersales_warranty', 'sequence_type_registration'))])
    inspection_sequence = fields.Many2One(
        'ir.sequence', "Exchange Inspection Sequence", required=True,
        domain=[('sequence_type', '=', Id(
                'aftersales_warranty', 'sequence_type_inspection'))])
    referral_sequence = fields.Many2One(
        'ir.sequence', "Warranty Referral Sequence", required=True,
        domain=[('sequence_type', '=', Id(
                'aftersales_warranty', 'sequence_type_referral'))])
    quote_sequence = fields.Many2One(
        'ir.sequence', "Repair Quote Sequence", required=True,
        domain=[('sequence_type', '=', Id(
                'aftersales_warranty', 'sequence_type_quote'))])
    repair_fee_product = fields.Many2One(
        'product.product', "Repair Fee Product",
        domain=[('type', '=', 'service'), ('salable', '=', True)],
        help="The service sold as the out-of-warranty repair fee.")

    default_registration_sequence = default_sequence(
        'aftersales_warranty', 'sequence_registration')
    default_inspection_sequence = default_sequence(
        'aftersales_warranty', 'sequence_inspection')
    default_referral_sequence = default_sequence(
        'aftersales_warranty', 'sequence_referral')
    default_quote_sequence = default_sequence(
        'aftersales_warranty', 'sequence_quote')

    @classmethod
    def next_number(cls, field_name):
        "Return the next number of the sequence named by field_name"
        sequence = getattr(cls(1), field_name)
        return sequence.get()


class NumberedMixin:
    """Number new records from the after-sales configuration's sequence

    _number_sequence names the configuration field of that sequence; a copy
    gets a new number.
    """
    __slots__ = ()
    _number_sequence = None

    @classmethod
    def create(cls, vlist):
        Configuration = Pool().get('aftersales.configuration')
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            if not values.get('number'):
                values['number'] = Configuration.next_number(
                    cls._number_sequence)
        return super().create(vlist)

    @classmethod
    def copy(cls, records, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        return super().copy(records, default=default)
