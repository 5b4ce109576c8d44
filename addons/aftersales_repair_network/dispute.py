"Disputes at the repair points"
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.modules.aftersales_warranty.document import (
    DatedDocumentMixin, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import (
    editable_in, readonly_in)
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.aftersales_warranty.stamp import stamp

from .document import PointDocumentMixin
from .exceptions import DisputeError

CAUSES = [
    (None, ""),
    ('product_quality', "Product Quality"),
    ('repair_quality', "Repair Quality"),
    ('parts', "Parts"),
    ('charges', "Charges"),
    ('service_attitude', "Service Attitude"),
    ('delay', "Delay"),
    ('customer_use', "Customer Use"),
    ('other', "Other"),
    ]
RESPONSIBILITIES = [
    (None, ""),
    ('company', "Company"),
    ('point', "Repair Point"),
    ('dealer', "Dealer"),
    ('customer', "Customer"),
    ('carrier', "Carrier"),
    ('unclear', "Unclear"),
    ]

_open = editable_in('open')
_ruling = editable_in('open', 'responded')
_analysed = readonly_in('reported', 'cancelled')


class Dispute(PointDocumentMixin, DatedDocumentMixin, NumberedMixin,
        Workflow, ModelSQL, ModelView):
    """Responded to, ruled, resolved, its cause recorded and analysed, and
    reported to customer service (N6)."""
    __string__ = "Repair Point Dispute"
    __name__ = 'aftersales.repair.dispute'
    _number_sequence = 'repair_dispute_sequence'
    _initial_state = 'open'
    _deletable_states = ['open', 'cancelled']
    _copy_reset = [
        'response', 'responded_by', 'responded_at', 'responsibility',
        'ruling', 'ruled_by', 'ruled_at', 'cause', 'analysis', 'resolution',
        'resolved_at', 'reported_at']

    repair = fields.Many2One(
        'aftersales.repair.order', "Repair Order", states=_open,
        domain=[('point', '=', Eval('point', -1))])
    complainant = party_field("Complainant", required=True, states=_open)
    date = fields.Date("Date", required=True, states=_open)
    description = fields.Text("Description", required=True, states=_open)
    response = fields.Text(
        "Response", states=_open,
        help="The first answer given to the complainant.")
    responded_by = fields.Many2One('res.user', "Responded By", readonly=True)
    responded_at = fields.Timestamp("Responded At", readonly=True)
    responsibility = fields.Selection(
        RESPONSIBILITIES, "Responsibility", states=_ruling,
        help="Where responsibility is unclear, customer service makes "
        "the final ruling.")
    ruling = fields.Text("Ruling", states=_ruling)
    ruled_by = fields.Many2One('res.user', "Ruled By", readonly=True)
    ruled_at = fields.Timestamp("Ruled At", readonly=True)
    cause = fields.Selection(CAUSES, "Cause", states=_analysed)
    analysis = fields.Text("Cause Analysis", states=_analysed)
    resolution = fields.Text(
        "Resolution", states=readonly_in('resolved', 'reported', 'cancelled'))
    resolved_at = fields.Timestamp("Resolved At", readonly=True)
    reported_at = fields.Timestamp("Reported At", readonly=True)
    state = state_field([
            ('open', "Open"),
            ('responded', "Responded"),
            ('ruled', "Ruled"),
            ('resolved', "Resolved"),
            ('reported', "Reported"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('open', 'responded'),
            ('responded', 'ruled'),
            ('ruled', 'resolved'),
            ('resolved', 'reported'),
            ('open', 'cancelled'),
            ('cancelled', 'open'),
            }
        cls._buttons.update(state_buttons(
                respond=['open'], rule=['responded'], resolve=['ruled'],
                report=['resolved'], cancel=['open'], reopen=['cancelled']))

    @fields.depends('repair')
    def on_change_repair(self):
        if self.repair:
            self.point = self.repair.point
            self.complainant = self.repair.customer

    @classmethod
    def _require(cls, disputes, names, message):
        for dispute in disputes:
            missing = [n for n in names if not getattr(dispute, n)]
            if missing:
                raise DisputeError(gettext(
                        f'aftersales_repair_network.{message}',
                        dispute=dispute.rec_name,
                        fields=', '.join(
                            cls.__names__(n)['field'] for n in missing)))

    @classmethod
    @ModelView.button
    @Workflow.transition('responded')
    @stamp('responded')
    def respond(cls, disputes):
        cls._require(disputes, ['response'], 'msg_dispute_missing')

    @classmethod
    @ModelView.button
    @Workflow.transition('ruled')
    @stamp('ruled')
    def rule(cls, disputes):
        """Rule on the dispute; where responsibility is unclear only
        customer service may (W9)"""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        cls._require(
            disputes, ['responsibility', 'ruling'], 'msg_dispute_missing')
        customer_service = ModelData.get_id(
            'aftersales_warranty', 'group_customer_service')
        if (Transaction().user
                and customer_service not in User.get_groups()):
            for dispute in disputes:
                if dispute.responsibility == 'unclear':
                    raise DisputeError(gettext(
                            'aftersales_repair_network'
                            '.msg_dispute_unclear_ruling',
                            dispute=dispute.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('resolved')
    @stamp('resolved')
    def resolve(cls, disputes):
        cls._require(disputes, ['resolution'], 'msg_dispute_missing')

    @classmethod
    @ModelView.button
    @Workflow.transition('reported')
    @stamp('reported')
    def report(cls, disputes):
        "Report the dispute with its analysed cause to customer service"
        cls._require(disputes, ['cause', 'analysis'], 'msg_dispute_missing')

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, disputes):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, disputes):
        pass
