"""Complaints on Tryton's sale complaints: validity, classes, the eight
handling steps and their deadlines (C3, C5, C11)"""
import functools

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.aftersales_warranty.claim import Claim
from trytond.modules.aftersales_warranty.document import (
    ColouredListMixin, CopyResetMixin, owner_field, save_links)
from trytond.modules.aftersales_warranty.exceptions import ClaimError
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.overdue import (
    OverdueMixin, overdue_field)
from trytond.modules.aftersales_warranty.report import AftersalesReport
from trytond.modules.aftersales_warranty.stamp import (
    stamp_defaults, stamp_values, step_stamps)
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import ComplaintError

STEPS = [
    ('recorded', "Recorded"),
    ('classified', "Classified and Judged"),
    ('assigned', "Responsibility Assigned"),
    ('investigated', "Investigated"),
    ('proposed', "Solution Proposed"),
    ('notified', "Customer Notified"),
    ('penalised', "Penalised"),
    ('improved', "Improved"),
    ('invalid', "Closed as Not Valid"),
    ]
# The step each step button moves from
STEP_FROM = {
    'classified': 'recorded',
    'assigned': 'classified',
    'investigated': 'assigned',
    'proposed': 'investigated',
    'notified': 'proposed',
    'penalised': 'notified',
    'improved': 'penalised',
    'invalid': 'recorded',
    }
# The deadlines the reminders are sent for, each at most once
DEADLINES = ['reply', 'progress', 'visit']

_recorded = editable_in('recorded', field='step')


def step_transition(step):
    """Decorate a step button: it acts on the complaints at the step before
    step only, then moves them to step and stamps who and when"""
    def decorator(func):
        @functools.wraps(func)
        def wrapper(cls, complaints, *args, **kwargs):
            complaints = [c for c in complaints if c.step == STEP_FROM[step]]
            result = func(cls, complaints, *args, **kwargs)
            cls.write(complaints, {
                    'step': step, **stamp_values(cls, step)})
            return result
        return wrapper
    return decorator


def _step_states(step):
    "Return the states of a field of step: editable until the step is taken"
    return {
        'readonly': Eval('step') != STEP_FROM[step],
        'invisible': ~Eval('step').in_(_from(step)),
        }


def _step_text(string, step, help=""):
    "Return the text of a step"
    return fields.Text(string, help=help, states=_step_states(step))


def _class_states(complaint_class):
    "Return the states of a recorded field of the complaints of a class only"
    return {
        **_recorded,
        'invisible': Eval('complaint_class') != complaint_class,
        }


def _from(step):
    "Return the steps from the one before step on"
    names = [s for s, _ in STEPS if s != 'invalid']
    return names[names.index(STEP_FROM[step]):]


class Complaint(
        CopyResetMixin, OverdueMixin, ColouredListMixin, metaclass=PoolMeta):
    __name__ = 'sale.complaint'
    _muted_states = ['rejected', 'cancelled']
    _copy_reset = ['call', 'step', 'recorded_by', 'recorded_at',
        'invalid_by', 'invalid_at',
        'warranty_covered', 'warranty_answer', 'visit_due', 'visit_report',
        'visited_by', 'visited_at', 'classified_by', 'classified_at',
        'assigned_by', 'assigned_at', 'investigated_by', 'investigated_at',
        'proposed_by', 'proposed_at', 'notified_by', 'notified_at',
        'penalised_employees', 'penalised_by', 'penalised_at',
        'improved_by', 'improved_at', 'reply_due', 'answered_date',
        'progress_due', 'progress_note', 'progress_by', 'progress_at',
        'application']

    call = fields.Many2One(
        'aftersales.service.call', "Hotline Call", readonly=True)
    target = fields.Char(
        "Complaint About", states=_recorded,
        help="The product, employee or service complained about.")
    step = fields.Selection(STEPS, "Step", readonly=True, required=True,
        sort=False)
    step_string = step.translated('step')
    recorded_by, recorded_at = step_stamps("Recorded")

    validity = fields.Selection([
            (None, ""),
            ('valid', "Valid"),
            ('invalid', "Not Valid"),
            ], "Validity", states=_recorded)
    validity_string = validity.translated('validity')
    invalid_by, invalid_at = step_stamps("Closed")
    invalid_answer = fields.Text(
        "Answer Given", states={
            'readonly': Eval('step') != 'recorded',
            'invisible': Eval('validity') != 'invalid',
            'required': Eval('step') == 'invalid',
            },
        help="The polite explanation given to the customer.")
    complaint_class = fields.Selection([
            (None, ""),
            ('product', "Product Quality"),
            ('service', "Service Quality"),
            ('suggestion', "Suggestion"),
            ], "Class", states=_recorded)
    complaint_class_string = complaint_class.translated('complaint_class')
    symptom = fields.Text("Symptom", states=_class_states('product'))
    product = fields.Many2One(
        'product.product', "Product", states=_class_states('product'),
        context={'company': Eval('company', -1)}, depends={'company'})
    lot = fields.Many2One(
        'stock.lot', "Lot", domain=[('product', '=', Eval('product', -1))],
        states=_class_states('product'))
    production_date = fields.Date(
        "Production Date", states=_class_states('product'))
    purchase_dealer = party_field(
        "Bought At",
        domain=[('aftersales_role', 'not in', [None, 'consumer'])],
        states=_class_states('product'),
        help="The dealer who sold the product: a return goes back "
        "through it.")
    purchase_date = fields.Date(
        "Purchase Date", states=_class_states('product'))
    warranty_covered = fields.Boolean("Under Warranty", readonly=True,
        states={'invisible': Eval('complaint_class') != 'product'})
    warranty_answer = fields.Char("Warranty Check", readonly=True,
        states={'invisible': Eval('complaint_class') != 'product'})
    service_kind = fields.Selection([
            (None, ""),
            ('late', "Late Delivery"),
            ('short', "Short Delivery"),
            ('conduct', "Staff Skill or Attitude"),
            ('billing', "Billing Error"),
            ('other', "Other"),
            ], "Service Problem", states=_class_states('service'))
    employee = fields.Many2One(
        'company.employee', "Employee",
        domain=[('company', '=', Eval('company', -1))],
        states=_class_states('service'))
    service_place = fields.Char("Where", states=_class_states('service'))
    bodily_harm = fields.Boolean(
        "Bodily Harm", states=_recorded,
        help="The customer was hurt or fell ill: someone visits at once "
        "and management is told.")
    visit_due = fields.Date("Visit Due", readonly=True,
        states={'invisible': ~Eval('bodily_harm')})
    visit_report = fields.Text("Visit Report", states={
            'invisible': ~Eval('visit_due'),
            'readonly': Bool(Eval('visited_at')),
            })
    visited_by, visited_at = step_stamps("Visited")
    complex = fields.Boolean(
        "Complex", states=_recorded,
        help="A complex complaint gets a progress update before its "
        "answer.")
    judgement = _step_text("Judgement", 'classified')
    classified_by, classified_at = step_stamps("Classified")

    responsibility = fields.Many2One(
        'aftersales.service.responsibility', "Responsibility",
        states=_step_states('assigned'))
    responsible = fields.Many2One(
        'res.user', "Responsible", states=_step_states('assigned'),
        help="Gets the reminders of the complaint's deadlines.")
    assignment = _step_text("Assignment", 'assigned')
    assigned_by, assigned_at = step_stamps("Assigned")
    investigation = _step_text("Investigation", 'investigated')
    investigated_by, investigated_at = step_stamps("Investigated")
    solution = _step_text(
        "Solution", 'proposed',
        help="Approved by the customer-service manager before the "
        "customer is told.")
    proposed_by, proposed_at = step_stamps("Proposed")
    notice = _step_text("Told the Customer", 'notified')
    notified_by, notified_at = step_stamps("Notified")
    penalty = _step_text(
        "Penalty", 'penalised',
        help="The penalty of the responsible, and of whoever let the "
        "complaint go unresolved.")
    penalised_employees = fields.Many2Many(
        'sale.complaint-company.employee', 'complaint', 'employee',
        "Penalised", states=_step_states('penalised'))
    penalised_by, penalised_at = step_stamps("Penalised")
    improvement = _step_text("Improvement", 'improved')
    improved_by, improved_at = step_stamps("Improved")

    reply_due = fields.Date(
        "Reply Due", readonly=True,
        help="The customer is answered by this working day.")
    answered_date = fields.Date("Answered On", readonly=True)
    answered_late = fields.Function(
        fields.Boolean("Answered Late"), 'get_answered_late')
    progress_due = fields.Date(
        "Progress Update Due", readonly=True,
        states={'invisible': ~Eval('complex')})
    progress_note = fields.Text("Progress Update", states={
            'invisible': ~Eval('complex'),
            'readonly': Bool(Eval('progress_at')),
            })
    progress_by, progress_at = step_stamps("Progress Update")
    management = fields.Function(fields.Many2Many(
            'res.user', None, None, "Management",
            help="The managers told of a complaint with bodily harm."),
        'get_management')
    application = fields.Many2One(
        'aftersales.rma.application', "Return Application", readonly=True,
        states={'invisible': Eval('complaint_class') != 'product'})
    overdue = overdue_field(
        "The answer, the progress update or the visit is not "
        "done by its due date.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'classify': _step_button('classified'),
                'close_invalid': _step_button('invalid'),
                'assign': _step_button('assigned'),
                'investigate': _step_button('investigated'),
                'propose': _step_button('proposed'),
                'notify_customer': {
                    'invisible': ((Eval('step') != 'proposed')
                        | ~Eval('state').in_(['approved', 'done'])),
                    'depends': ['step', 'state'],
                    },
                'penalise': _step_button('penalised'),
                'improve': _step_button('improved'),
                'record_visit': {
                    'invisible': ~Eval('visit_due') | Eval('visited_at'),
                    'depends': ['visit_due', 'visited_at'],
                    },
                'record_progress': {
                    'invisible': (~Eval('progress_due')
                        | Eval('progress_at') | Eval('answered_date')),
                    'depends': ['progress_due', 'progress_at',
                        'answered_date'],
                    },
                'open_return': {
                    'invisible': ((Eval('complaint_class') != 'product')
                        | Eval('application')
                        | ~Eval('step').in_(_from('investigated'))),
                    'depends': ['complaint_class', 'application', 'step'],
                    },
                })
        # The solution is proposed through its step
        cls._buttons['wait']['invisible'] = True

    default_recorded_by, default_recorded_at = stamp_defaults()

    @classmethod
    def default_step(cls):
        return 'recorded'

    @fields.depends('responsibility')
    def on_change_responsibility(self):
        if self.responsibility and self.responsibility.user:
            self.responsible = self.responsibility.user

    @fields.depends('lot', 'product', 'production_date')
    def on_change_lot(self):
        if self.lot:
            self.product = self.lot.product
            if not self.production_date:
                self.production_date = self.lot.ex_factory_date

    @classmethod
    def get_management(cls, complaints, name):
        "The customer-service managers and the vice-presidents"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        users = User.search([
                ('groups', 'in', [
                        ModelData.get_id('aftersales_warranty', xml_id)
                        for xml_id in ['group_customer_service',
                            'group_vice_president']]),
                ])
        return {c.id: [u.id for u in users] for c in complaints}

    def get_answered_late(self, name):
        if self.answered_date and self.reply_due:
            return self.answered_date > self.reply_due

    @classmethod
    def _overdue_domain(cls, date):
        return [
            ('state', '!=', 'cancelled'),
            ['OR',
                cls._late_domain('reply', date),
                cls._late_domain('progress', date),
                cls._late_domain('visit', date),
                ],
            ]

    @classmethod
    def _late_domain(cls, deadline, date):
        "Return the domain of the complaints late on deadline at date"
        return {
            'reply': [
                ('reply_due', '<', date),
                ('answered_date', '=', None),
                ],
            'progress': [
                ('progress_due', '<', date),
                ('progress_at', '=', None),
                ('answered_date', '=', None),
                ],
            'visit': [
                ('visit_due', '<', date),
                ('visited_at', '=', None),
                ],
            }[deadline]

    @classmethod
    def create(cls, vlist):
        complaints = super().create(vlist)
        cls.set_deadlines(complaints)
        return complaints

    @classmethod
    def set_deadlines(cls, complaints):
        """Set the reply and progress-update days on the company's working
        calendar, counted from the day after receipt (C11)"""
        pool = Pool()
        Calendar = pool.get('aftersales.service.calendar.day')
        Configuration = pool.get('aftersales.configuration')
        configuration = Configuration(1)
        for complaint in complaints:
            company = complaint.company
            complaint.reply_due = Calendar.add_working_days(
                company, complaint.date, configuration.get_multivalue(
                    'reply_days', company=company.id))
            complaint.progress_due = (Calendar.add_working_days(
                    company, complaint.date, configuration.get_multivalue(
                        'progress_days', company=company.id))
                if complaint.complex else None)
        cls.save(complaints)

    @classmethod
    def check_ready(cls, complaints, ready, message):
        "Refuse the step of the complaints not ready for it with message"
        for complaint in complaints:
            if not ready(complaint):
                raise ComplaintError(gettext(
                        message, complaint=complaint.rec_name))

    @classmethod
    def check_texts(cls, complaints, *names):
        "Refuse the step of complaints without the texts names"
        for complaint in complaints:
            for name in names:
                if not (getattr(complaint, name) or '').strip():
                    raise ComplaintError(gettext(
                            'aftersales_service.msg_complaint_step_text',
                            complaint=complaint.rec_name,
                            field=cls.__names__(name)['field']))

    @classmethod
    @ModelView.button
    @step_transition('invalid')
    def close_invalid(cls, complaints):
        "Close a complaint judged not valid with its polite answer (C3)"
        cls.check_ready(complaints, lambda c: c.validity == 'invalid',
            'aftersales_service.msg_complaint_not_invalid')
        cls.check_texts(complaints, 'invalid_answer')
        cls.write(complaints, {'answered_date': _today()})
        cls.cancel(complaints)
        cls.plan_follow_ups(complaints)

    @classmethod
    @ModelView.button
    @step_transition('classified')
    def classify(cls, complaints):
        """Judge a valid complaint and classify it (C3)

        A product complaint runs the warranty check; bodily harm sets a
        visit due today and tells management at once.
        """
        cls.check_ready(complaints,
            lambda c: c.validity == 'valid' and c.complaint_class,
            'aftersales_service.msg_complaint_not_judged')
        cls.check_texts(complaints, 'judgement')
        cls.check_warranty(
            [c for c in complaints if c.complaint_class == 'product'])
        harmed = [c for c in complaints if c.bodily_harm]
        cls.write(harmed, {'visit_due': _today()})
        cls.set_deadlines(complaints)
        _notify(harmed, 'aftersales_service', 'trigger_bodily_harm')

    @classmethod
    def check_warranty(cls, complaints):
        "Record the warranty check of each product complaint, in one batch"
        Policy = Pool().get('aftersales.warranty.policy')
        checked = [c for c in complaints if c.product]
        results = Policy.answer([c.to_claim() for c in checked])
        for complaint, result in zip(checked, results):
            if isinstance(result, ClaimError):
                complaint.warranty_covered = False
                complaint.warranty_answer = result.message
            else:
                answer = result[0]
                complaint.warranty_covered = answer.covered
                complaint.warranty_answer = answer.reason
        cls.save(checked)

    def to_claim(self):
        return Claim(
            claim_date=self.date, claimant='consumer', product=self.product,
            lot=self.lot, purchase_date=self.purchase_date)

    @classmethod
    @ModelView.button
    @step_transition('assigned')
    def assign(cls, complaints):
        "Give the complaint to the department answering for its cause (C5)"
        cls.check_ready(complaints, lambda c: c.responsibility,
            'aftersales_service.msg_complaint_no_responsibility')
        cls.check_texts(complaints, 'assignment')

    @classmethod
    @ModelView.button
    @step_transition('investigated')
    def investigate(cls, complaints):
        cls.check_texts(complaints, 'investigation')

    @classmethod
    @ModelView.button
    @step_transition('proposed')
    def propose(cls, complaints):
        "Submit the solution to the customer-service manager's approval"
        cls.check_texts(complaints, 'solution')
        cls.wait(complaints)

    @classmethod
    @ModelView.button
    @step_transition('notified')
    def notify_customer(cls, complaints):
        "Tell the customer the approved solution: the complaint's answer"
        cls.check_ready(complaints,
            lambda c: c.state in {'approved', 'done'},
            'aftersales_service.msg_complaint_not_approved')
        cls.check_texts(complaints, 'notice')
        cls.write(complaints, {'answered_date': _today()})

    @classmethod
    @ModelView.button
    @step_transition('penalised')
    def penalise(cls, complaints):
        cls.check_texts(complaints, 'penalty')

    @classmethod
    @ModelView.button
    @step_transition('improved')
    def improve(cls, complaints):
        cls.check_texts(complaints, 'improvement')
        cls.plan_follow_ups(complaints)

    @classmethod
    def plan_follow_ups(cls, complaints):
        "Plan the follow-up call of the closed complaints (C6)"
        Pool().get('aftersales.service.follow_up').plan(complaints)

    @classmethod
    @ModelView.button
    def record_visit(cls, complaints):
        "Record the visit to a harmed customer"
        cls.record_due(complaints, 'visit_due', 'visited', 'visit_report')

    @classmethod
    @ModelView.button
    def record_progress(cls, complaints):
        "Record the progress update of a complex complaint (C11)"
        cls.record_due(
            complaints, 'progress_due', 'progress', 'progress_note')

    @classmethod
    def record_due(cls, complaints, due, step, text):
        """Stamp step, with its text, on the complaints that have a date
        in the field due and no stamp of step yet"""
        complaints = [c for c in complaints
            if getattr(c, due) and not getattr(c, f'{step}_at')]
        cls.check_texts(complaints, text)
        cls.write(complaints, stamp_values(cls, step))

    @classmethod
    @ModelView.button
    def open_return(cls, complaints):
        """Open a return application of the faulty product through the
        dealer who sold it (R, C3)"""
        complaints = [c for c in complaints if not c.application]
        save_links(complaints, 'application',
            [c.get_application() for c in complaints])

    def get_application(self):
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Cause = pool.get('aftersales.warranty.cause')
        Line = pool.get('aftersales.rma.application.line')
        ModelData = pool.get('ir.model.data')
        if not (self.purchase_dealer and self.product):
            raise ComplaintError(gettext(
                    'aftersales_service.msg_complaint_return_dealer',
                    complaint=self.rec_name))
        today = _today()
        address = self.purchase_dealer.address_get()
        region = address.subdivision if address else None
        planned_date = (region
            and Application.next_dispatch_date(region, today)) or today
        return Application(
            company=self.company, sender=self.purchase_dealer,
            sender_address=address, region=region,
            date=today, planned_date=planned_date,
            assessment=self.investigation,
            lines=[Line(
                    product=self.product, lot=self.lot, quantity=1,
                    unit=self.product.default_uom,
                    reason=ModelData.get_id(
                        'aftersales_rma', 'reason_quality'),
                    cause=Cause.quality_fault(),
                    description=self.rec_name)])

    @classmethod
    def draft(cls, complaints):
        "A rejected solution goes back to be proposed again"
        super().draft(complaints)
        cls.write([c for c in complaints if c.step == 'proposed'], {
                'step': 'investigated',
                'proposed_by': None,
                'proposed_at': None,
                })

    @classmethod
    def notify_deadlines(cls):
        """E-mail the responsible of the complaints late on a deadline, at
        most once per complaint and deadline (C11)"""
        today = _today()
        for deadline in DEADLINES:
            late = cls.search([
                    ('state', '!=', 'cancelled'),
                    cls._late_domain(deadline, today),
                    ], order=[('id', 'ASC')])
            if late:
                with Transaction().set_context(queue_batch=True):
                    cls.__queue__.notify_late(late, deadline)

    @classmethod
    def notify_late(cls, complaints, deadline):
        """E-mail the responsible of the complaints late on deadline; the
        queue runs it for notify_deadlines (C11)"""
        _notify(complaints, 'aftersales_service', 'trigger_%s_late' % deadline)


def _step_button(step):
    return {
        'invisible': Eval('step') != STEP_FROM[step],
        'depends': ['step'],
        }


def _today():
    return Pool().get('ir.date').today()


def _notify(records, module, trigger_xml_id):
    "Fire the e-mail trigger module.trigger_xml_id on records, batched"
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Trigger = pool.get('ir.trigger')
    if not records:
        return
    trigger = Trigger(ModelData.get_id(module, trigger_xml_id))
    for sub_records in grouped_slice(records, backend.MAX_QUERY_PARAMS):
        trigger.trigger_action([r.id for r in sub_records])


class ComplaintEmployee(ModelSQL):
    __string__ = "Complaint Penalised Employee"
    __name__ = 'sale.complaint-company.employee'

    complaint = owner_field('sale.complaint', "Complaint")
    employee = owner_field('company.employee', "Employee")


class ComplaintForm(AftersalesReport):
    "Customer Complaint Form"
    __name__ = 'sale.complaint.form'
