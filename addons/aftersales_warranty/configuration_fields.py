"The fields the modules add to the after-sales configuration"
from trytond.model import fields

from .configuration import (
    CONTEXT_COMPANY, default_record, default_value, sequence_field)


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
