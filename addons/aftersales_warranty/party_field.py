"The parties a company's documents name"
from trytond.model import fields
from trytond.pyson import Eval


def party_field(string, **kwargs):
    """Return a Many2One to a party read in the company of the record, as
    its company-dependent values (accounts, sequences) are"""
    return fields.Many2One(
        'party.party', string,
        context={'company': Eval('company', -1)}, depends={'company'},
        **kwargs)
