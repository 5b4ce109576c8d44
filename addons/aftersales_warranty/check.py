from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.wizard import Button, StateView, Wizard

from .claim import Claim
from .exceptions import ClaimError

CLAIMANTS = [
    ('consumer', "Consumer"),
    ('dealer', "Dealer"),
    ]


class CheckStart(ModelView):
    __string__ = "Warranty Check"
    __name__ = 'aftersales.warranty.check.start'

    registration = fields.Many2One(
        'aftersales.warranty.registration', "Registration",
        domain=[('state', '=', 'active')])
    lot = fields.Many2One(
        'stock.lot', "Lot",
        states={'invisible': Bool(Eval('registration'))})
    product = fields.Many2One(
        'product.product', "Product",
        states={
            'invisible': Bool(Eval('registration')),
            'required': ~Eval('registration') & ~Eval('lot'),
            },
        domain=[('type', '=', 'goods')])
    purchase_date = fields.Date(
        "Proof-of-Purchase Date",
        help="Leave empty to use the registration's purchase date.")
    claim_date = fields.Date("Claim Date", required=True)
    claimant = fields.Selection(CLAIMANTS, "Claimant", required=True)
    component = fields.Many2One(
        'aftersales.warranty.component', "Component",
        help="Leave empty to answer for every component.")
    cause = fields.Many2One(
        'aftersales.warranty.cause', "Cause of the Defect", required=True)

    @classmethod
    def default_claim_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_claimant(cls):
        return 'consumer'

    @classmethod
    def default_cause(cls):
        return Pool().get('aftersales.warranty.cause').quality_fault()

    @fields.depends('lot', 'product')
    def on_change_lot(self):
        if self.lot:
            self.product = self.lot.product

    def to_claim(self):
        if self.lot and self.product and self.lot.product != self.product:
            raise ClaimError(gettext(
                    'aftersales_warranty.msg_claim_lot_product',
                    lot=self.lot.rec_name, product=self.product.rec_name,
                    lot_product=self.lot.product.rec_name))
        return Claim(
            claim_date=self.claim_date, claimant=self.claimant,
            product=self.product, lot=self.lot,
            registration=self.registration,
            purchase_date=self.purchase_date, component=self.component,
            cause=self.cause)


class CheckAnswer(ModelView):
    __string__ = "Warranty Check Answer"
    __name__ = 'aftersales.warranty.check.answer'

    part = fields.Char("Part", readonly=True)
    component = fields.Many2One(
        'aftersales.warranty.component', "Component", readonly=True)
    exchange = fields.Boolean("One-for-One Exchange", readonly=True)
    covered = fields.Boolean("Covered", readonly=True)
    until = fields.Date("Until", readonly=True)
    referred = fields.Boolean("Referred", readonly=True)
    reason = fields.Char("Why", readonly=True)

    @classmethod
    def from_answer(cls, answer):
        return {
            'part': (answer.component.rec_name if answer.component
                else gettext('aftersales_warranty.msg_answer_whole_unit')),
            'component': answer.component.id if answer.component else None,
            'exchange': answer.component is None,
            'covered': answer.covered,
            'until': answer.until,
            'referred': answer.referred,
            'reason': answer.reason,
            }


class CheckResult(ModelView):
    __string__ = "Warranty Check Result"
    __name__ = 'aftersales.warranty.check.result'

    registration = fields.Many2One(
        'aftersales.warranty.registration', "Registration", readonly=True)
    product = fields.Many2One('product.product', "Product", readonly=True)
    lot = fields.Many2One('stock.lot', "Lot", readonly=True)
    purchase_date = fields.Date("Purchase Date", readonly=True)
    delivery_date = fields.Date("Delivery Date", readonly=True)
    ex_factory_date = fields.Date("Ex-Factory Date", readonly=True)
    answers = fields.One2Many(
        'aftersales.warranty.check.answer', None, "Answers", readonly=True)

    @classmethod
    def from_start(cls, start):
        "Return the values showing what the claim of start is about"
        registration = start.registration
        lot = registration.lot if registration else start.lot
        if registration:
            dates = registration.basis_dates
        else:
            dates = {
                'purchase': None,
                'delivery': None,
                'manufacture': lot.ex_factory_date if lot else None,
                }
        product = (registration.product if registration
            else lot.product if lot else start.product)
        return {
            'registration': registration.id if registration else None,
            'product': product.id,
            'lot': lot.id if lot else None,
            'purchase_date': start.purchase_date or dates['purchase'],
            'delivery_date': dates['delivery'],
            'ex_factory_date': dates['manufacture'],
            }


class Check(Wizard):
    "Check a claim against the warranty policy (W1, W4)"
    __name__ = 'aftersales.warranty.check'

    start = StateView(
        'aftersales.warranty.check.start',
        'aftersales_warranty.check_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Check", 'result', 'tryton-ok', default=True),
            ])
    result = StateView(
        'aftersales.warranty.check.result',
        'aftersales_warranty.check_result_view_form', [
            Button("Check Another", 'start', 'tryton-back'),
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        "Start from the last claim checked, or from the active record"
        if getattr(self.start, 'claim_date', None):
            return self.start._default_values
        defaults = {}
        if (self.model and self.model.__name__
                == 'aftersales.warranty.registration' and self.record):
            defaults['registration'] = self.record.id
        return defaults

    def default_result(self, fields):
        pool = Pool()
        Policy = pool.get('aftersales.warranty.policy')
        Answer = pool.get('aftersales.warranty.check.answer')
        Result = pool.get('aftersales.warranty.check.result')
        answers, = Policy.check([self.start.to_claim()])
        return {
            **Result.from_start(self.start),
            'answers': [Answer.from_answer(a) for a in answers],
            }
