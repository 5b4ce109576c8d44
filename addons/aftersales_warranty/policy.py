from collections import namedtuple

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, sequence_ordered, fields)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .claim import Answer
from .dates import add_months
from .document import owner_field
from .exceptions import ClaimError, PolicyError

BASES = [
    ('purchase', "Purchase Date"),
    ('delivery', "Delivery Date"),
    ('manufacture', "Ex-Factory Date"),
    ]
DATE_CODE_FORMATS = [
    (None, ""),
    ('YYMMDD', "YYMMDD"),
    ('YYYYMMDD', "YYYYMMDD"),
    ('YYWW', "YYWW (ISO week)"),
    ]


Coverage = namedtuple('Coverage', ['component', 'covered', 'months', 'basis'])


class Texts:
    """The translated texts of one batch of answers

    Thousands of answers share a few hundred dates, names and reasons:
    each is written once a batch, in the user's language, instead of once
    an answer through trytond's caches."""

    def __init__(self, Policy):
        self.Policy = Policy
        self._written = {}

    def _write(self, key, write, *args, **kwargs):
        if key not in self._written:
            self._written[key] = write(*args, **kwargs)
        return self._written[key]

    def date(self, date):
        return self._write(('date', date), self.Policy.format_date, date)

    def basis(self, basis):
        return self._write(
            ('basis', basis), self.Policy.basis_string, basis)

    def name(self, record):
        return self._write(
            (record.__name__, record.id), getattr, record, 'rec_name')

    def message(self, msgid, **variables):
        return self._write(
            (msgid, *variables.items()), gettext, msgid, **variables)


def _exchange_window(who, string, help):
    """Return the months and the start of the exchange window of who, the
    fields <who>_months and <who>_basis

    The window is empty when the policy grants who no such exchange.
    """
    months = who + '_months'
    return (
        fields.Integer(
            "%s Exchange Window (months)" % string,
            domain=['OR', (months, '=', None), (months, '>=', 0)],
            help=help),
        fields.Selection(
            BASES, "%s Window From" % string,
            states={'required': Eval(months, None) != None}))  # noqa: E711


class Component(DeactivableMixin, ModelSQL, ModelView):
    __string__ = "Warranty Component"
    __name__ = 'aftersales.warranty.component'

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))


class Policy(DeactivableMixin, ModelSQL, ModelView):
    __string__ = "Warranty Policy"
    __name__ = 'aftersales.warranty.policy'

    name = fields.Char("Name", required=True, translate=True)
    lines = fields.One2Many(
        'aftersales.warranty.policy.line', 'policy', "Coverage")
    consumer_months, consumer_basis = _exchange_window(
        'consumer', "Consumer",
        "How long a consumer may claim a one-for-one exchange of the "
        "whole unit; leave empty when the policy grants no such exchange.")
    dealer_months, dealer_basis = _exchange_window(
        'dealer', "Dealer",
        "How long a dealer may exchange one-for-one; "
        "leave empty when dealers follow the consumer window.")
    repair_fee_rate = fields.Numeric(
        "Repair Fee Rate", digits=(4, 4), required=True,
        domain=[('repair_fee_rate', '>=', 0)],
        help="Charged on the replaced parts' price out of warranty: "
        "0.10 is 10 %.")
    criteria = fields.One2Many(
        'aftersales.warranty.exchange.criterion', 'policy',
        "Exchange Refusal Criteria",
        help="An inspected unit is exchanged one-for-one unless one of "
        "these applies; every one that applies is recorded.")
    categories = fields.One2Many(
        'product.category', 'warranty_policy', "Product Categories")
    # The translated labels of the window bases, per language
    _basis_labels = Cache('aftersales.warranty.policy.basis_labels')

    @classmethod
    def default_consumer_basis(cls):
        return 'purchase'

    @classmethod
    def default_dealer_basis(cls):
        return 'manufacture'

    @classmethod
    def validate_fields(cls, policies, field_names):
        super().validate_fields(policies, field_names)
        if field_names & {'consumer_months', 'consumer_basis', 'lines'}:
            cls.check_exchange_window(policies)

    @classmethod
    def check_exchange_window(cls, policies):
        """Refuse a whole-unit exchange window that gives a part another
        end date than its coverage line"""
        for policy in policies:
            if policy.consumer_months is None:
                continue
            for line in policy.lines:
                if (not line.covered
                        or line.months != policy.consumer_months
                        or line.basis != policy.consumer_basis):
                    raise PolicyError(gettext(
                            'aftersales_warranty.msg_policy_exchange_window',
                            policy=policy.rec_name,
                            component=line.component.rec_name,
                            months=policy.consumer_months,
                            basis=cls.basis_string(policy.consumer_basis)))

    @classmethod
    def policies_of(cls, products):
        "Return {product id: policy or None} for products (W1)"
        return {p.id: p.template.get_warranty_policy() for p in products}

    @classmethod
    def check(cls, claims):
        """Answer each claim with a list of Answer, or raise the ClaimError
        of the first claim that cannot be answered"""
        results = cls.answer(claims)
        for result in results:
            if isinstance(result, ClaimError):
                raise result
        return results

    @classmethod
    def answer(cls, claims):
        """Answer each claim with a list of Answer, or with the ClaimError
        that stops it, so that one wrong claim leaves the others answered

        The claims are answered in one batch: the registrations and the
        lots are read as values in one list each, not instantiated, so
        neither the number of queries nor the cost per claim grows with
        the number of claims.
        """
        pool = Pool()
        Cause = pool.get('aftersales.warranty.cause')
        Lot = pool.get('stock.lot')
        Product = pool.get('product.product')
        Registration = pool.get('aftersales.warranty.registration')
        causes = {c.id: c for c in Cause.browse(list({
                        c.cause.id for c in claims if c.cause}))}
        registrations = {r['id']: r for r in Registration.read(
                list({c.registration.id for c in claims if c.registration}),
                ['lot', 'product', 'purchase_date', 'delivery_date',
                    'ex_factory_date'])}
        lots = {l['id']: l for l in Lot.read(
                list({c.lot.id for c in claims if c.lot} | {
                        r['lot'] for r in registrations.values()
                        if r['lot'] is not None}),
                ['product', 'date_code'])}
        products = Product.browse(list(
                {c.product.id for c in claims if c.product}
                | {l['product'] for l in lots.values()}
                | {r['product'] for r in registrations.values()}))
        policies = cls.policies_of(products)
        coverages = cls.coverages_of(policies.values())
        products = {p.id: p for p in products}
        made = Lot.ex_factory_dates(lots.values(), products.values())
        texts = Texts(cls)
        results = []
        for claim in claims:
            try:
                results.append(cls._answer(
                        claim, registrations, lots, made, products, policies,
                        causes, coverages, texts))
            except ClaimError as error:
                results.append(error)
        return results

    @classmethod
    def _answer(cls, claim, registrations, lots, made, products, policies,
            causes, coverages, texts):
        """Answer claim from the values read of its registration and lot,
        {lot id: ex-factory date} made, {policy id: [Coverage]} coverages
        and the instances of the others, writing with the batch's Texts"""
        pool = Pool()
        Lot = pool.get('stock.lot')
        Registration = pool.get('aftersales.warranty.registration')
        registration = (registrations[claim.registration.id]
            if claim.registration else None)
        lot_id = (claim.lot.id if claim.lot
            else registration['lot'] if registration else None)
        product = products[claim.product.id if claim.product
            else lots[lot_id]['product'] if lot_id is not None
            else registration['product']]
        dates = {
            'purchase': claim.purchase_date or (
                registration['purchase_date'] if registration else None),
            'delivery': (
                registration['delivery_date'] if registration else None),
            'manufacture': (made[lot_id] if lot_id is not None
                else registration['ex_factory_date'] if registration
                else None),
            }

        def claim_name():
            return (Registration(registration['id']) if registration
                else Lot(lot_id) if lot_id is not None
                else product).rec_name

        def lot_name():
            return (Lot(lot_id).rec_name if lot_id is not None
                else claim_name())
        if dates['purchase'] and claim.claim_date < dates['purchase']:
            raise ClaimError(gettext(
                    'aftersales_warranty.msg_claim_before_purchase',
                    claim=claim_name(),
                    claim_date=texts.date(claim.claim_date),
                    purchase_date=texts.date(dates['purchase'])))
        if dates['manufacture'] and claim.claim_date < dates['manufacture']:
            raise ClaimError(gettext(
                    'aftersales_warranty.msg_claim_before_manufacture',
                    claim=claim_name(),
                    lot=lot_name(),
                    claim_date=texts.date(claim.claim_date),
                    ex_factory_date=texts.date(dates['manufacture'])))
        policy = policies[product.id]
        if not policy:
            return [Answer(
                    covered=False, rule='W1',
                    reason=texts.message(
                        'aftersales_warranty.msg_answer_no_policy',
                        product=texts.name(product)))]
        cause = causes[claim.cause.id] if claim.cause else None
        if cause and not cause.covered:
            return policy._answer_cause(claim, cause, texts)
        if claim.claimant == 'dealer' and policy.dealer_months is not None:
            return [policy._answer_dealer(claim, dates, texts)]
        if not dates['purchase']:
            raise ClaimError(gettext(
                    'aftersales_warranty.msg_claim_no_purchase_date',
                    claim=claim_name()))
        if claim.component is None and policy.consumer_months is not None:
            return [policy._window(
                    claim, dates, policy.consumer_months,
                    policy.consumer_basis, 'W1', texts)]
        return policy._answer_components(
            claim, dates, coverages[policy.id], texts)

    def _answer_cause(self, claim, cause, texts):
        "Answer every component not covered because of the defect's cause"
        if claim.component:
            components = [claim.component]
        elif self.exchange_window(claim.claimant):
            components = [None]
        else:
            components = [l.component for l in self.lines]
        reason = texts.message(
            'aftersales_warranty.msg_answer_cause_not_covered',
            cause=texts.name(cause))
        return [Answer(
                covered=False, rule='W1', policy=self, component=component,
                cause=cause, reason=reason)
            for component in components]

    @classmethod
    def coverages_of(cls, policies):
        """Return {policy id: [Coverage]} of the lines of policies, read
        once: a batch answers thousands of claims with a few policies"""
        return {p.id: [Coverage(l.component, l.covered, l.months, l.basis)
                for l in p.lines]
            for p in {p for p in policies if p}}

    def _answer_components(self, claim, dates, lines, texts):
        "Answer each Coverage of lines, or the claim's component only"
        if claim.component:
            lines = [l for l in lines if l.component == claim.component]
            if not lines:
                return [Answer(
                        covered=False, rule='W1', policy=self,
                        component=claim.component,
                        reason=texts.message(
                            'aftersales_warranty.msg_answer_not_named',
                            component=texts.name(claim.component)))]
        answers = []
        for line in lines:
            if not line.covered:
                answers.append(Answer(
                        covered=False, rule='W1', policy=self,
                        component=line.component,
                        reason=texts.message(
                            'aftersales_warranty.msg_answer_not_covered',
                            component=texts.name(line.component))))
                continue
            answers.append(self._window(
                    claim, dates, line.months, line.basis, 'W1', texts,
                    component=line.component))
        return answers

    def _answer_dealer(self, claim, dates, texts):
        if not dates.get(self.dealer_basis):
            return Answer(
                covered=False, rule='W4', referred=True, policy=self,
                reason=texts.message(
                    'aftersales_warranty.msg_answer_referred'))
        return self._window(
            claim, dates, self.dealer_months, self.dealer_basis, 'W4', texts)

    def exchange_window(self, claimant):
        """Return (months, basis) of the one-for-one exchange of the whole
        unit the claimant may get, or None when the policy grants none"""
        if claimant == 'dealer' and self.dealer_months is not None:
            return self.dealer_months, self.dealer_basis
        if self.consumer_months is not None:
            return self.consumer_months, self.consumer_basis

    @classmethod
    def format_date(cls, date):
        "Return date written the way the user's language writes dates"
        return Pool().get('ir.lang').get().strftime(date)

    @classmethod
    def basis_string(cls, basis):
        "Return the translated label of a window basis"
        language = Transaction().language
        labels = cls._basis_labels.get(language)
        if labels is None:
            selection = cls.fields_get(['consumer_basis'])['consumer_basis']
            labels = dict(selection['selection'])
            cls._basis_labels.set(language, labels)
        return labels[basis]

    def _window(self, claim, dates, months, basis, rule, texts,
            component=None):
        start = dates.get(basis)
        if not start:
            return Answer(
                covered=False, rule=rule, policy=self, component=component,
                months=months, basis=basis,
                reason=texts.message('aftersales_warranty.msg_answer_no_date',
                    basis=texts.basis(basis)))
        until = add_months(start, months)
        covered = claim.claim_date <= until
        return Answer(
            covered=covered, rule=rule, policy=self, component=component,
            until=until, months=months, basis=basis,
            reason=texts.message(
                'aftersales_warranty.msg_answer_covered' if covered
                else 'aftersales_warranty.msg_answer_expired',
                until=texts.date(until), months=months,
                basis=texts.basis(basis)))


class PolicyLine(sequence_ordered(), ModelSQL, ModelView):
    __string__ = "Warranty Coverage"
    __name__ = 'aftersales.warranty.policy.line'

    policy = owner_field('aftersales.warranty.policy', "Policy")
    component = fields.Many2One(
        'aftersales.warranty.component', "Component", required=True)
    covered = fields.Boolean("Covered")
    months = fields.Integer(
        "Months",
        domain=['OR', ('months', '=', None), ('months', '>=', 0)],
        states={
            'required': Eval('covered', False),
            'invisible': ~Eval('covered', False),
            })
    basis = fields.Selection(
        BASES, "From",
        states={
            'required': Eval('covered', False),
            'invisible': ~Eval('covered', False),
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('policy')

    @classmethod
    def default_covered(cls):
        return True

    @classmethod
    def default_basis(cls):
        return 'purchase'

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names & {'covered', 'months', 'basis'}:
            Policy = Pool().get('aftersales.warranty.policy')
            Policy.check_exchange_window(list({l.policy for l in lines}))
        if field_names & {'policy', 'component'}:
            for line in lines:
                others = [l for l in line.policy.lines
                    if l.component == line.component]
                if len(others) > 1:
                    raise PolicyError(gettext(
                            'aftersales_warranty'
                            '.msg_policy_duplicate_component',
                            policy=line.policy.rec_name,
                            component=line.component.rec_name))

    def end_date(self, dates):
        "Return the last covered day given {basis: date}, or None"
        if self.covered and dates.get(self.basis):
            return add_months(dates[self.basis], self.months)


class ExchangeCriterion(
        DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    """Exchange Refusal Criterion

    One item of the inspection checklist of the policy's products: the
    inspector answers yes or no, and a yes refuses the exchange (W3).
    """
    __string__ = "Exchange Refusal Criterion"
    __name__ = 'aftersales.warranty.exchange.criterion'

    policy = owner_field('aftersales.warranty.policy', "Policy")
    name = fields.Char(
        "Name", required=True, translate=True,
        help="The condition the inspector checks on the unit; "
        "when it is found, the exchange is refused.")
    code = fields.Char("Code")
    reason = fields.Char("Refusal Reason", required=True, translate=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('policy')


class Category(metaclass=PoolMeta):
    __name__ = 'product.category'

    warranty_policy = fields.Many2One(
        'aftersales.warranty.policy', "Warranty Policy",
        ondelete='RESTRICT')
    date_code_format = fields.Selection(
        DATE_CODE_FORMATS, "Date Code Format",
        help="How the date code printed at manufacture reads.")
    date_code_start = fields.Date(
        "Date Coding Started",
        states={'required': Bool(Eval('date_code_format'))},
        help="Goods made before this date carry no date code.")

    def get_warranty_policy(self):
        category = self
        while category:
            if category.warranty_policy:
                return category.warranty_policy
            category = category.parent

    def get_date_coding(self):
        "Return (format, start date) of the nearest coded category"
        category = self
        while category:
            if category.date_code_format:
                return category.date_code_format, category.date_code_start
            category = category.parent
        return None, None


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    warranty_policy = fields.Many2One(
        'aftersales.warranty.policy', "Warranty Policy",
        ondelete='RESTRICT',
        help="Leave empty to use the policy of the product's category.")

    def get_warranty_policy(self):
        if self.warranty_policy:
            return self.warranty_policy
        for category in self.categories:
            policy = category.get_warranty_policy()
            if policy:
                return policy

    def get_date_coding(self):
        for category in self.categories:
            coding = category.get_date_coding()
            if coding[0]:
                return coding
        return None, None


class Product(metaclass=PoolMeta):
    """Product variant

    Registered so that the template's warranty policy, which the variant's
    form shows, has its label translated there too.
    """
    __name__ = 'product.product'
