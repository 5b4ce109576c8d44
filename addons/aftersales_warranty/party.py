from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If, In
from trytond.transaction import without_check_access

from .exceptions import UpstreamError

DEALER_ROLES = ['franchise_store', 'sub_distributor']
OFFICE_ROLES = ['branch_office', 'logistics_partner']
# W7: who answers for whom, by the dealer's role
UPSTREAM_ROLES = {
    'franchise_store': OFFICE_ROLES,
    'sub_distributor': ['franchise_store'],
    }


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    aftersales_role = fields.Selection([
            (None, ""),
            ('consumer', "Consumer"),
            ('branch_office', "Branch Office"),
            ('logistics_partner', "Logistics Partner"),
            ('franchise_store', "Franchise Store"),
            ('sub_distributor', "Sub-Distributor"),
            ], "After-Sales Role",
        help="The party's place in the sales channel.")
    upstream = fields.Many2One(
        'party.party', "Upstream Responsible",
        domain=[
            If(Eval('aftersales_role') == 'franchise_store',
                ('aftersales_role', 'in',
                    UPSTREAM_ROLES['franchise_store']),
                If(Eval('aftersales_role') == 'sub_distributor',
                    ('aftersales_role', 'in',
                        UPSTREAM_ROLES['sub_distributor']),
                    ())),
            ],
        states={
            'invisible': ~In(Eval('aftersales_role'), DEALER_ROLES),
            'required': In(Eval('aftersales_role'), DEALER_ROLES),
            },
        help="The one party that answers for this dealer.")
    downstream = fields.One2Many(
        'party.party', 'upstream', "Downstream Dealers", readonly=True)

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        if field_names & {'aftersales_role', 'upstream'}:
            cls.check_upstream(parties)

    @classmethod
    def check_upstream(cls, parties):
        "Only dealers answer to an upstream party (W7)"
        for party in parties:
            if party.upstream and party.aftersales_role not in DEALER_ROLES:
                raise UpstreamError(gettext(
                        'aftersales_warranty.msg_upstream_not_dealer',
                        party=party.rec_name))

    @classmethod
    def on_modification(cls, mode, parties, field_names=None):
        "The record rules' party scopes follow the dealer chain (W7)"
        super().on_modification(mode, parties, field_names=field_names)
        if (('upstream' in field_names) if mode == 'write'
                else any(p.upstream for p in parties)):
            Pool().get('ir.rule')._domain_get_cache.clear()

    @classmethod
    def answered_for(cls, party_id):
        """Return the ids of the party and of the dealers it answers for,
        down the whole chain (W7); [] for -1"""
        if party_id < 0:
            return []
        parties, level = [party_id], [party_id]
        with without_check_access():
            while level:
                level = [p.id for p in cls.search([
                            ('upstream', 'in', level),
                            ('id', 'not in', parties),
                            ])]
                parties.extend(level)
        return parties

    def responsible_chain(self):
        "Return the parties answering for this one, nearest first (W7)"
        chain, party = [], self.upstream
        while party and party not in chain:
            chain.append(party)
            party = party.upstream
        return chain
