"Claims against carriers for goods lost or damaged in transit"
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.modules.aftersales_warranty.document import (
    DatedDocumentMixin, state_buttons)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.party_field import party_field

from .exceptions import CarrierClaimError

_draft = editable_in('draft')
_filed = editable_in('filed')


class CarrierClaim(
        DatedDocumentMixin, NumberedMixin, Workflow, ModelSQL, ModelView):
    """Carrier Claim

    The claim is the customer's: customer service and logistics help file
    it and track it (W6).
    """
    __name__ = 'aftersales.rma.carrier.claim'
    _muted_states = ['rejected', 'cancelled']
    _number_sequence = 'carrier_claim_sequence'
    _copy_reset = ['settled_amount', 'outcome']
    __string__ = "Carrier Claim"

    customer = party_field(
        "Customer", required=True, states=_draft,
        help="Whose claim it is.")
    carrier = party_field("Carrier", required=True, states=_draft)
    application = fields.Many2One(
        'aftersales.rma.application', "Return Application", states=_draft)
    shipment_reference = fields.Char("Waybill", states=_draft)
    incident = fields.Selection([
            ('lost', "Lost"),
            ('damaged', "Damaged"),
            ], "Incident", required=True, states=_draft)
    date = fields.Date("Date", required=True, states=_draft)
    description = fields.Text("Description", states=_draft)
    amount = fields.Numeric(
        "Claimed Amount", digits=(16, Eval('currency_digits', 2)),
        required=True, states=_draft,
        domain=[('amount', '>=', 0)])
    settled_amount = fields.Numeric(
        "Settled Amount", digits=(16, Eval('currency_digits', 2)),
        domain=['OR',
            ('settled_amount', '=', None),
            ('settled_amount', '>=', 0)],
        states=dict(_filed,
            invisible=~Eval('state').in_(['filed', 'settled'])))
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, states=_draft)
    currency_digits = fields.Function(
        fields.Integer("Currency Digits"), 'on_change_with_currency_digits')
    outcome = fields.Text("Outcome", states=_filed)
    state = fields.Selection([
            ('draft', "Draft"),
            ('filed', "Filed"),
            ('settled', "Settled"),
            ('rejected', "Rejected"),
            ('cancelled', "Cancelled"),
            ], "Status", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('draft', 'filed'),
            ('filed', 'settled'),
            ('filed', 'rejected'),
            ('draft', 'cancelled'),
            ('filed', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update(state_buttons(
                file=['draft'], settle=['filed'], reject=['filed'],
                cancel=['draft', 'filed'], draft=['cancelled']))

    @classmethod
    def default_currency(cls):
        Company = Pool().get('company.company')
        company = Transaction().context.get('company')
        if company is not None and company >= 0:
            return Company(company).currency.id

    @classmethod
    def validate_fields(cls, claims, field_names):
        super().validate_fields(claims, field_names)
        if 'date' in field_names:
            cls.check_date(claims)

    @classmethod
    def check_date(cls, claims):
        "Refuse a claim dated in the future"
        pool = Pool()
        lang = pool.get('ir.lang').get()
        today = pool.get('ir.date').today()
        for claim in claims:
            if claim.date > today:
                raise CarrierClaimError(gettext(
                        'aftersales_rma.msg_claim_date_future',
                        claim=claim.rec_name, date=lang.strftime(claim.date),
                        today=lang.strftime(today)))

    @fields.depends('currency')
    def on_change_with_currency_digits(self, name=None):
        return self.currency.digits if self.currency else 2

    @fields.depends('application')
    def on_change_application(self):
        if self.application:
            self.customer = self.application.sender
            if self.application.carrier:
                self.carrier = self.application.carrier

    @classmethod
    @ModelView.button
    @Workflow.transition('filed')
    def file(cls, claims):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('settled')
    def settle(cls, claims):
        for claim in claims:
            if claim.settled_amount is None:
                raise CarrierClaimError(gettext(
                        'aftersales_rma.msg_claim_no_settled_amount',
                        claim=claim.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, claims):
        for claim in claims:
            if not (claim.outcome or '').strip():
                raise CarrierClaimError(gettext(
                        'aftersales_rma.msg_claim_no_outcome',
                        claim=claim.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, claims):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, claims):
        pass
