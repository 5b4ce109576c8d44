from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from .document import DocumentMixin, save_links, state_buttons, state_field
from .configuration import NumberedMixin
from .exceptions import ReferralError
from .stamp import stamp, step_stamps
from .party_field import party_field


class Referral(DocumentMixin, NumberedMixin, Workflow, ModelSQL, ModelView):
    """Warranty Referral

    A claim the check cannot answer goes to customer service, who rule on
    it and record why (W4); office and regional managers mediate first
    where they can (W9).
    """
    __string__ = "Warranty Referral"
    __name__ = 'aftersales.warranty.referral'
    _initial_state = 'open'
    _deletable_states = []
    _muted_states = ['refused']
    _number_sequence = 'referral_sequence'

    inspection = fields.Many2One(
        'aftersales.warranty.inspection', "Inspection", readonly=True)
    claimant = party_field(
        "Claimant", required=True, readonly=True)
    responsible = fields.Function(
        fields.Many2One('party.party', "Responsible Upstream",
            context={'company': Eval('company', -1)}, depends={'company'}),
        'get_responsible')
    product = fields.Many2One(
        'product.product', "Product", required=True, readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    lot = fields.Many2One('stock.lot', "Lot", readonly=True)
    reason = fields.Function(fields.Text("Why Referred"), 'get_reason')
    mediation = fields.Text(
        "Mediation", states={'readonly': Eval('state') != 'open'},
        help="What the office or regional manager found and proposed.")
    decision = fields.Text(
        "Decision", states={'readonly': Eval('state') != 'open'})
    decided_by, decided_at = step_stamps("Decided")
    state = state_field([
            ('open', "Open"),
            ('accepted', "Accepted"),
            ('refused', "Refused"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.company.readonly = True
        cls._order.insert(0, ('id', 'DESC'))
        cls._transitions |= {
            ('open', 'accepted'),
            ('open', 'refused'),
            }
        cls._buttons.update(state_buttons(accept=['open'], refuse=['open']))

    def get_reason(self, name):
        return gettext('aftersales_warranty.msg_answer_referred')

    def get_responsible(self, name):
        chain = self.claimant.responsible_chain()
        return chain[0].id if chain else None

    @classmethod
    def create(cls, vlist):
        "Refuse a referral that no exchange inspection refers"
        for values in vlist:
            if not values.get('inspection'):
                raise ReferralError(gettext(
                        'aftersales_warranty.msg_referral_from_inspection'))
        return super().create(vlist)

    @classmethod
    def refer(cls, inspections):
        "Refer the inspections to customer service (W4)"
        referrals = [cls(
                company=i.company, inspection=i, claimant=i.claimant,
                product=i.product, lot=i.lot)
            for i in inspections]
        save_links(inspections, 'referral', referrals)
        return referrals

    @classmethod
    def check_decision(cls, referrals):
        for referral in referrals:
            if not (referral.decision or '').strip():
                raise ReferralError(gettext(
                        'aftersales_warranty.msg_referral_no_decision',
                        referral=referral.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('accepted')
    @stamp('decided')
    def accept(cls, referrals):
        "Customer service grants the exchange (W4, W9)"
        Inspection = Pool().get('aftersales.warranty.inspection')
        cls.check_decision(referrals)
        Inspection.exchange([r.inspection for r in referrals
                if r.inspection and r.inspection.state == 'referred'])

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    @stamp('decided')
    def refuse(cls, referrals):
        "Customer service refuses the exchange with its reason (W4, W9)"
        pool = Pool()
        Inspection = pool.get('aftersales.warranty.inspection')
        Reason = pool.get('aftersales.warranty.inspection.reason')
        cls.check_decision(referrals)
        inspections = [r.inspection for r in referrals
            if r.inspection and r.inspection.state == 'referred']
        Reason.save([
                Reason(inspection=r.inspection, kind='decision',
                    decision=r.decision)
                for r in referrals if r.inspection in inspections])
        Inspection.refuse(inspections)
