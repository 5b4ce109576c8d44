from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.company.model import employee_field, set_employee
from trytond.pool import Pool
from trytond.pyson import Eval

from .check import CLAIMANTS
from .claim import Claim
from .document import (
    DatedDocumentMixin, owner_field, save_links, state_buttons, state_field)
from .configuration import NumberedMixin
from .exceptions import DateOrderError, InspectionError
from .policy import BASES
from .registered import ProductLotMixin
from .party_field import party_field

_states = {'readonly': Eval('state') != 'draft'}


class Inspection(
        DatedDocumentMixin, NumberedMixin, ProductLotMixin, Workflow,
        ModelSQL, ModelView):
    __string__ = "Exchange Inspection"
    __name__ = 'aftersales.warranty.inspection'
    _muted_states = ['refused', 'cancelled']
    _number_sequence = 'inspection_sequence'
    _copy_reset = ['reasons', 'referral', 'quote']

    date = fields.Date("Inspection Date", required=True, states=_states)
    claimant_type = fields.Selection(
        CLAIMANTS, "Claimant Type", required=True, states=_states)
    claimant = party_field(
        "Claimant", required=True, states=_states)
    registration = fields.Many2One(
        'aftersales.warranty.registration', "Registration", states=_states,
        domain=[('state', '=', 'active')])
    purchase_date = fields.Date(
        "Proof-of-Purchase Date", states={
            'readonly': _states['readonly'],
            'required': Eval('claimant_type') == 'consumer',
            })
    quantity = fields.Float("Quantity", required=True, states=_states,
        domain=[('quantity', '>', 0)])
    cause = fields.Many2One(
        'aftersales.warranty.cause', "Cause of the Defect", required=True,
        states=_states)

    answers = fields.One2Many(
        'aftersales.warranty.inspection.answer', 'inspection', "Checklist",
        states=_states,
        help="The exchange refusal criteria of the product's policy, "
        "each answered yes or no.")
    notes = fields.Text("Notes", states=_states)

    reasons = fields.One2Many(
        'aftersales.warranty.inspection.reason', 'inspection',
        "Refusal Reasons", readonly=True)
    referral = fields.Many2One(
        'aftersales.warranty.referral', "Referral", readonly=True)
    quote = fields.Many2One(
        'aftersales.warranty.quote', "Repair Quote", readonly=True,
        states={'invisible': Eval('state') != 'refused'},
        help="The paid repair offered once the exchange is refused.")
    inspected_by = employee_field(
        "Inspected By", states=['exchange', 'refused', 'referred'])
    state = state_field([
            ('draft', "Draft"),
            ('exchange', "Exchange"),
            ('refused', "Refused"),
            ('referred', "Referred"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('draft', 'exchange'),
            ('draft', 'refused'),
            ('draft', 'referred'),
            ('referred', 'exchange'),
            ('referred', 'refused'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update(state_buttons(
                decide=['draft'], cancel=['draft'], draft=['cancelled']))
        cls._buttons.update({
                'create_quote': {
                    'invisible': (Eval('state') != 'refused')
                    | Eval('quote'),
                    'depends': ['state', 'quote'],
                    },
                })

    @classmethod
    def default_claimant_type(cls):
        return 'consumer'

    @classmethod
    def default_quantity(cls):
        return 1

    @classmethod
    def default_cause(cls):
        return Pool().get('aftersales.warranty.cause').quality_fault()

    @fields.depends('registration', methods=['on_change_product'])
    def on_change_registration(self):
        if self.registration:
            self.product = self.registration.product
            self.lot = self.registration.lot
            self.purchase_date = self.registration.purchase_date
            self.claimant = self.registration.customer
            self.on_change_product()

    @fields.depends(methods=['on_change_product'])
    def on_change_lot(self):
        super().on_change_lot()
        if self.lot:
            self.on_change_product()

    @fields.depends('product', 'answers')
    def on_change_product(self):
        "Put the active criteria of the product's policy on the checklist"
        Answer = Pool().get('aftersales.warranty.inspection.answer')
        policy = (self.product.template.get_warranty_policy()
            if self.product else None)
        criteria = list(policy.criteria) if policy else []
        if [a.criterion for a in self.answers or []] != criteria:
            self.answers = [
                Answer(criterion=c, answer=False) for c in criteria]

    @property
    def ex_factory_date(self):
        "The date the inspected unit left the factory, when known"
        if self.lot and self.lot.ex_factory_date:
            return self.lot.ex_factory_date
        if self.registration:
            return self.registration.ex_factory_date

    @classmethod
    def validate_fields(cls, inspections, field_names):
        super().validate_fields(inspections, field_names)
        if field_names & {'date', 'purchase_date', 'lot', 'registration'}:
            cls.check_dates(inspections)

    @classmethod
    def check_dates(cls, inspections):
        """Refuse an inspection in the future, or before the purchase or
        the manufacture (W4)"""
        pool = Pool()
        lang = pool.get('ir.lang').get()
        today = pool.get('ir.date').today()
        for inspection in inspections:
            made = inspection.ex_factory_date
            purchased = inspection.purchase_date
            values = {
                'inspection': inspection.rec_name,
                'lot': (inspection.lot or inspection.registration
                    or inspection.product).rec_name,
                'date': lang.strftime(inspection.date),
                'ex_factory_date': made and lang.strftime(made),
                'purchase_date': purchased and lang.strftime(purchased),
                }
            if inspection.date > today:
                raise DateOrderError(gettext(
                        'aftersales_warranty.msg_inspection_future',
                        today=lang.strftime(today), **values))
            if made and inspection.date < made:
                raise DateOrderError(gettext(
                        'aftersales_warranty'
                        '.msg_inspection_before_manufacture', **values))
            if purchased and inspection.date < purchased:
                raise DateOrderError(gettext(
                        'aftersales_warranty.msg_inspection_before_purchase',
                        **values))
            if made and purchased and purchased < made:
                raise DateOrderError(gettext(
                        'aftersales_warranty'
                        '.msg_inspection_purchase_before_manufacture',
                        **values))

    def to_claim(self):
        return Claim(
            claim_date=self.date, claimant=self.claimant_type,
            product=self.product, lot=self.lot,
            registration=self.registration,
            purchase_date=self.purchase_date, cause=self.cause)

    @classmethod
    @ModelView.button
    def decide(cls, inspections):
        """Exchange one-for-one or refuse with every reason (W3, W4)

        The criteria of the policy answered yes on the checklist refuse
        the exchange, for dealer and consumer claims alike;
        the exchange window is the consumer's or, for a dealer, the one
        from the date code. An uncoded lamp claimed by a dealer is
        referred to customer service.
        """
        pool = Pool()
        Policy = pool.get('aftersales.warranty.policy')
        Reason = pool.get('aftersales.warranty.inspection.reason')
        Referral = pool.get('aftersales.warranty.referral')
        inspections = [i for i in inspections if i.state == 'draft']
        results = Policy.check([i.to_claim() for i in inspections])
        reasons, outcome = [], {}
        for inspection, answers in zip(inspections, results):
            policy = answers[0].policy
            if policy is None:
                raise InspectionError(gettext(
                        'aftersales_warranty.msg_inspection_no_policy',
                        inspection=inspection.rec_name,
                        product=inspection.product.rec_name))
            windows = [a for a in answers if a.component is None]
            found = {a.criterion for a in inspection.answers if a.answer}
            refusals = [Reason(inspection=inspection,
                    kind='criterion', criterion=c)
                for c in policy.criteria if c in found]
            if not windows:
                refusals.append(Reason(
                        inspection=inspection, kind='no_exchange'))
            elif not windows[0].covered and not windows[0].referred:
                refusals.append(Reason.from_answer(inspection, windows[0]))
            reasons.extend(refusals)
            if refusals:
                outcome[inspection] = 'refused'
            elif windows[0].referred:
                outcome[inspection] = 'referred'
            else:
                outcome[inspection] = 'exchange'
        Reason.save(reasons)
        referred = [i for i, o in outcome.items() if o == 'referred']
        Referral.refer(referred)
        cls.exchange([i for i, o in outcome.items() if o == 'exchange'])
        cls.refuse([i for i, o in outcome.items() if o == 'refused'])
        cls.refer(referred)

    @classmethod
    @Workflow.transition('exchange')
    @set_employee('inspected_by')
    def exchange(cls, inspections):
        pass

    @classmethod
    @ModelView.button
    def create_quote(cls, inspections):
        "Offer the paid repair of a refused exchange (W2)"
        inspections = [i for i in inspections
            if i.state == 'refused' and not i.quote]
        save_links(inspections, 'quote', [i.get_quote() for i in inspections])

    def get_quote(self):
        "Return the repair quote (unsaved) of the inspected unit"
        Quote = Pool().get('aftersales.warranty.quote')
        return Quote.for_unit(self, self.claimant)

    @classmethod
    @Workflow.transition('refused')
    @set_employee('inspected_by')
    def refuse(cls, inspections):
        pass

    @classmethod
    @Workflow.transition('referred')
    @set_employee('inspected_by')
    def refer(cls, inspections):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, inspections):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, inspections):
        pass


class InspectionAnswer(ModelSQL, ModelView):
    __string__ = "Exchange Inspection Answer"
    __name__ = 'aftersales.warranty.inspection.answer'

    inspection = owner_field('aftersales.warranty.inspection', "Inspection")
    criterion = fields.Many2One(
        'aftersales.warranty.exchange.criterion', "Criterion",
        required=True, ondelete='RESTRICT')
    answer = fields.Boolean(
        "Found", help="Checked when the unit shows the criterion's "
        "condition.")
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('inspection')
        cls._order.insert(0, ('criterion.sequence', 'ASC NULLS FIRST'))

    @classmethod
    def default_answer(cls):
        return False


class InspectionReason(ModelSQL, ModelView):
    __string__ = "Exchange Refusal Reason"
    __name__ = 'aftersales.warranty.inspection.reason'

    inspection = owner_field('aftersales.warranty.inspection', "Inspection")
    kind = fields.Selection([
            ('criterion', "Exchange Criterion"),
            ('cause', "Cause of the Defect"),
            ('expired', "Window Ended"),
            ('no_date', "Window Start Unknown"),
            ('no_exchange', "No Exchange under the Policy"),
            ('decision', "Customer Service Decision"),
            ], "Kind", required=True, readonly=True)
    criterion = fields.Many2One(
        'aftersales.warranty.exchange.criterion', "Criterion",
        readonly=True, ondelete='SET NULL')
    cause = fields.Many2One(
        'aftersales.warranty.cause', "Cause of the Defect", readonly=True)
    until = fields.Date("Window Ended On", readonly=True)
    months = fields.Integer("Window (months)", readonly=True)
    basis = fields.Selection(
        [(None, "")] + BASES, "Window From", readonly=True)
    decision = fields.Text("Decision", readonly=True)
    reason = fields.Function(fields.Char("Reason"), 'get_reason')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('inspection')

    @classmethod
    def from_answer(cls, inspection, answer):
        "Return the reason (unsaved) of a window answer that refuses"
        if answer.cause:
            kind = 'cause'
        elif answer.until:
            kind = 'expired'
        else:
            kind = 'no_date'
        return cls(
            inspection=inspection, kind=kind, cause=answer.cause,
            until=answer.until, months=answer.months, basis=answer.basis)

    def get_reason(self, name):
        "Return the reason written in the reader's language"
        Policy = Pool().get('aftersales.warranty.policy')
        if self.kind == 'criterion':
            return self.criterion.reason if self.criterion else None
        elif self.kind == 'decision':
            return self.decision
        elif self.kind == 'cause':
            return gettext('aftersales_warranty.msg_answer_cause_not_covered',
                cause=self.cause.rec_name)
        elif self.kind == 'expired':
            return gettext('aftersales_warranty.msg_answer_expired',
                until=Policy.format_date(self.until), months=self.months,
                basis=Policy.basis_string(self.basis))
        elif self.kind == 'no_date':
            return gettext('aftersales_warranty.msg_answer_no_date',
                basis=Policy.basis_string(self.basis))
        return gettext('aftersales_warranty.msg_inspection_no_exchange')
