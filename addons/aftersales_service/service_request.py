"Service requests: repairs on site or carried in, and their visits (C7)"
import datetime as dt

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.aftersales_warranty.claim import Claim
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.dates import within_days
from trytond.modules.aftersales_warranty.document import (
    DatedDocumentMixin, owner_field, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.overdue import (
    OverdueMixin, overdue_field)
from trytond.modules.aftersales_warranty.registered import (
    RegisteredProductMixin)
from trytond.modules.aftersales_warranty.report import AftersalesReport
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval


SCORES = ['attitude', 'skill', 'punctuality', 'result']
# The lowest score of a satisfied customer
SATISFIED_SCORE = 3

_draft = editable_in('draft')


def _score_field(name, string):
    return fields.Integer(
        string, domain=['OR', (name, '=', None),
            [(name, '>=', 1), (name, '<=', 5)]],
        help="From 1 (poor) to 5 (excellent).")


class Request(OverdueMixin, DatedDocumentMixin, NumberedMixin,
        RegisteredProductMixin, Workflow, ModelSQL, ModelView):
    """Service Request

    A customer's product repaired on site by a technician or carried in to
    the area's repair point, free inside the warranty and charged outside
    it, visited again until the repair holds and the customer is satisfied.
    """
    __string__ = "Service Request"
    __name__ = 'aftersales.service.request'
    _number_sequence = 'service_request_sequence'
    _copy_reset = ['free', 'covered_until', 'quote', 'visits',
        'repaired_date', 'call_due']

    date = fields.Date("Date", required=True, states=_draft)
    customer = party_field(
        "Customer", required=True, states=_draft)
    phone = fields.Char("Phone", states=_draft)
    address = fields.Many2One(
        'party.address', "Address", states=_draft,
        domain=[('party', '=', Eval('customer', -1))])
    kind = fields.Selection([
            ('on_site', "On Site"),
            ('carry_in', "Carried In"),
            ], "Kind", required=True, states=_draft,
        help="Repaired at the customer's by a technician, or taken to the "
        "area's repair point.")
    kind_string = kind.translated('kind')
    point = fields.Many2One(
        'aftersales.repair.point', "Repair Point",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', '=', 'approved'),
            ],
        states={
            'readonly': _draft['readonly'],
            'required': Eval('kind') == 'carry_in',
            'invisible': Eval('kind') != 'carry_in',
            },
        help="The repair point of the customer's area.")
    handover_note = fields.Text(
        "Hand-Over Note",
        states={
            'readonly': ~Eval('state').in_(['draft', 'open']),
            'invisible': Eval('kind') != 'carry_in',
            },
        help="What was taken from the customer, in what condition, "
        "and what was handed back.")
    component = fields.Many2One(
        'aftersales.warranty.component', "Faulty Component", required=True,
        states=_draft, help="Its warranty decides whether the repair is "
        "free.")
    cause = fields.Many2One(
        'aftersales.warranty.cause', "Cause", required=True, states=_draft)
    fault = fields.Text("Fault Description", states=_draft)
    free = fields.Boolean(
        "Free", readonly=True,
        help="The warranty covers the faulty component.")
    covered_until = fields.Date("Covered Until", readonly=True)
    quote = fields.Many2One(
        'aftersales.warranty.quote', "Repair Quote", readonly=True,
        states={'invisible': Bool(Eval('free'))},
        help="The parts and labour charged outside the warranty: quoted "
        "before the repair, invoiced once it is done.")
    invoices = fields.Function(fields.Many2Many(
            'account.invoice', None, None, "Invoices",
            states={'invisible': Bool(Eval('free'))}),
        'get_invoices')
    visits = fields.One2Many(
        'aftersales.service.request.visit', 'request', "Visits",
        states={'readonly': ~Eval('state').in_(['draft', 'open'])})
    repaired_date = fields.Date("Repaired On", readonly=True)
    call_due = fields.Date(
        "Satisfaction Call Due", readonly=True,
        help="The customer is called the day after the repair.")
    overdue = overdue_field("The satisfaction call is late.")
    state = state_field([
            ('draft', "Draft"),
            ('open', "Open"),
            ('repaired', "Repaired"),
            ('resolved', "Resolved"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.registration, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state.in_(['open', 'repaired'])),
                })
        cls._transitions |= {
            ('draft', 'open'),
            ('open', 'repaired'),
            ('repaired', 'resolved'),
            ('repaired', 'open'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update(state_buttons(
                open=['draft'], repair=['open'], fail=['open'],
                record_call=['repaired'], cancel=['draft'],
                draft=['cancelled']))

    @classmethod
    def default_kind(cls):
        return 'on_site'

    @classmethod
    def default_free(cls):
        return False

    @classmethod
    def default_cause(cls):
        return Pool().get('aftersales.warranty.cause').quality_fault()

    @fields.depends('customer', 'phone', 'address')
    def on_change_customer(self):
        if self.customer:
            self.address = self.customer.address_get()
            self.phone = self.customer.phone

    @fields.depends('address', 'point')
    def on_change_address(self):
        "Propose the repair point of the customer's area (R1)"
        if self.address and not self.point:
            self.point = self.address.repair_point

    def on_change_registration(self):
        super().on_change_registration()
        if self.registration:
            self.customer = self.registration.customer

    @property
    def current_visit(self):
        "The visit not done yet, or the last one"
        return self.visits[-1] if self.visits else None

    def to_claim(self):
        return Claim(
            claim_date=self.date, claimant='consumer', product=self.product,
            lot=self.lot, registration=self.registration,
            purchase_date=self.purchase_date, component=self.component,
            cause=self.cause)

    @classmethod
    def get_invoices(cls, requests, name):
        return {r.id: [i.id for i in r.quote.sale.invoices]
            if r.quote and r.quote.sale else [] for r in requests}

    @classmethod
    def _overdue_domain(cls, date):
        "The repaired requests whose satisfaction call is late (C7)"
        return [
            ('state', '=', 'repaired'),
            ('call_due', '<', date),
            ]

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, requests):
        """Check the warranty of the requests in one batch (C7)

        The first visit must be planned. Inside the warranty the repair is
        free; outside it a draft repair quote waits for the parts and
        labour.
        """
        pool = Pool()
        Policy = pool.get('aftersales.warranty.policy')
        Quote = pool.get('aftersales.warranty.quote')
        for request in requests:
            request.check_visit()
        answers = Policy.check([r.to_claim() for r in requests])
        quotes = []
        for request, (answer, *_) in zip(requests, answers):
            request.free = bool(answer.covered)
            request.covered_until = answer.until
            if not request.free and not request.quote:
                request.quote = request.get_quote()
                quotes.append(request.quote)
        Quote.save(quotes)
        cls.save(requests)

    def check_visit(self):
        "Raise unless the current visit is planned with its technician"
        visit = self.current_visit
        if not visit or visit.outcome:
            raise UserError(gettext(
                    'aftersales_service.msg_service_request_no_visit',
                    request=self.rec_name))
        if self.kind == 'on_site' and not visit.technician:
            raise UserError(gettext(
                    'aftersales_service.msg_service_request_no_technician',
                    request=self.rec_name))

    def get_quote(self):
        "Return the draft repair quote (unsaved) of the paid repair (W2)"
        Quote = Pool().get('aftersales.warranty.quote')
        return Quote.for_unit(self, self.customer)

    @classmethod
    @ModelView.button
    @Workflow.transition('repaired')
    def repair(cls, requests):
        """Close the current visit as repaired with the customer's signature
        and invoice the paid repair (C7)

        The carried-in product is handed back with a note; the satisfaction
        call is due the next day.
        """
        pool = Pool()
        Sale = pool.get('sale.sale')
        Visit = pool.get('aftersales.service.request.visit')
        today = pool.get('ir.date').today()
        for request in requests:
            request.check_repair()
        visits = [r.current_visit for r in requests]
        Visit.close(visits, 'repaired')
        sales = [r.quote.sale for r in requests if not r.free]
        Sale.confirm(sales)
        Sale.process(sales)
        cls.write(requests, {
                'repaired_date': today,
                'call_due': within_days(today, 1),
                })

    def check_repair(self):
        "Raise when the repair cannot be closed"
        visit = self.current_visit
        self.check_visit()
        if not visit.signer_name:
            raise UserError(gettext(
                    'aftersales_service.msg_service_request_not_signed',
                    request=self.rec_name))
        if self.kind == 'carry_in' and not self.handover_note:
            raise UserError(gettext(
                    'aftersales_service.msg_service_request_no_handover',
                    request=self.rec_name))
        if not self.free and (not self.quote
                or self.quote.state != 'quoted'):
            raise UserError(gettext(
                    'aftersales_service.msg_service_request_not_quoted',
                    request=self.rec_name))

    @classmethod
    @ModelView.button
    def fail(cls, requests):
        "Record the current visit as failed and plan another one (C7)"
        Visit = Pool().get('aftersales.service.request.visit')
        requests = [r for r in requests if r.state == 'open']
        for request in requests:
            request.check_visit()
        visits = [r.current_visit for r in requests]
        Visit.close(visits, 'failed')
        Visit.save([v.next_visit() for v in visits])

    @classmethod
    @ModelView.button
    def record_call(cls, requests):
        """Record the satisfaction call: a satisfied customer resolves the
        request, another gets another visit (C7)"""
        Visit = Pool().get('aftersales.service.request.visit')
        requests = [r for r in requests if r.state == 'repaired']
        visits = [r.current_visit for r in requests]
        Visit.record_call(visits)
        cls.resolve([r for r in requests if r.current_visit.satisfied])
        unsatisfied = [r for r in requests if not r.current_visit.satisfied]
        cls.reopen(unsatisfied)
        Visit.save([r.current_visit.next_visit() for r in unsatisfied])

    @classmethod
    @Workflow.transition('resolved')
    def resolve(cls, requests):
        "Resolve the requests and plan their follow-up (C6)"
        FollowUp = Pool().get('aftersales.service.follow_up')
        FollowUp.plan(requests)

    @classmethod
    @Workflow.transition('open')
    def reopen(cls, requests):
        cls.write(requests, {'repaired_date': None, 'call_due': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, requests):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, requests):
        pass


class Visit(ModelSQL, ModelView):
    """Service Request Visit

    One appointment of a request: the technician's work, the customer's
    signature and the next day's satisfaction call.
    """
    __string__ = "Service Request Visit"
    __name__ = 'aftersales.service.request.visit'

    request = owner_field('aftersales.service.request', "Request")
    appointment_start = fields.DateTime(
        "Appointment From", required=True, states={
            'readonly': Bool(Eval('outcome')),
            })
    appointment_end = fields.DateTime(
        "Appointment To", required=True,
        domain=[('appointment_end', '>=', Eval('appointment_start'))],
        states={'readonly': Bool(Eval('outcome'))})
    technician = fields.Many2One(
        'company.employee', "Technician",
        states={'readonly': Bool(Eval('outcome'))},
        help="Who repairs on site, or at the repair point.")
    work = fields.Text(
        "Work Done", states={'readonly': Bool(Eval('outcome'))})
    signer_name = fields.Char(
        "Signer", states={'readonly': Bool(Eval('outcome'))},
        help="The name of the customer who signs the service sheet.")
    signed_at = fields.Timestamp("Signed At", readonly=True)
    outcome = fields.Selection([
            (None, ""),
            ('repaired', "Repaired"),
            ('failed', "Failed"),
            ], "Outcome", readonly=True)
    outcome_string = outcome.translated('outcome')
    done_at = fields.Timestamp("Done At", readonly=True)
    attitude = _score_field('attitude', "Attitude")
    skill = _score_field('skill', "Skill")
    punctuality = _score_field('punctuality', "Punctuality")
    result = _score_field('result', "Result")
    suggestions = fields.Text("Suggestions")
    called_at = fields.Timestamp("Called At", readonly=True)
    satisfied = fields.Function(
        fields.Boolean("Satisfied"), 'on_change_with_satisfied')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('request')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.technician, Index.Range()), (t.done_at, Index.Range())))
        cls._order = [('appointment_start', 'ASC'), ('id', 'ASC')]
        for name in SCORES + ['suggestions']:
            getattr(cls, name).states = {
                'readonly': Bool(Eval('called_at')),
                'invisible': Eval('outcome') != 'repaired',
                }

    @fields.depends(*SCORES)
    def on_change_with_satisfied(self, name=None):
        "Every score is given and none is below a satisfied customer's"
        scores = [getattr(self, n) for n in SCORES]
        return all(s is not None and s >= SATISFIED_SCORE for s in scores)

    @classmethod
    def close(cls, visits, outcome):
        "Record the outcome of visits, now, and the signature if repaired"
        now = dt.datetime.now()
        values = {'outcome': outcome, 'done_at': now}
        if outcome == 'repaired':
            values['signed_at'] = now
        cls.write(visits, values)

    def next_visit(self):
        "Return another visit (unsaved) a day after this one, same technician"
        return self.__class__(
            request=self.request, technician=self.technician,
            appointment_start=self.appointment_start + dt.timedelta(days=1),
            appointment_end=self.appointment_end + dt.timedelta(days=1))

    @classmethod
    def record_call(cls, visits):
        "Stamp the satisfaction call of visits once every score is given"
        for visit in visits:
            if any(getattr(visit, n) is None for n in SCORES):
                raise UserError(gettext(
                        'aftersales_service.msg_service_request_no_scores',
                        request=visit.request.rec_name))
        cls.write(visits, {'called_at': dt.datetime.now()})


class Registration(metaclass=PoolMeta):
    __name__ = 'aftersales.warranty.registration'

    service_requests = fields.One2Many(
        'aftersales.service.request', 'registration', "Service Requests",
        readonly=True,
        help="The service requests of the product, noted on the warranty "
        "card.")


class ServiceSheet(AftersalesReport):
    "The service sheet the customer signs, handed in the same day (C7)"
    __name__ = 'aftersales.service.request.sheet'
