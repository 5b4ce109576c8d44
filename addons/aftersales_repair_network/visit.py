"Regular visits to the repair points"
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.modules.aftersales_warranty.document import (
    DatedDocumentMixin, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.configuration import NumberedMixin

from .document import PointDocumentMixin
from .exceptions import VisitError

_planned = editable_in('planned')


class Visit(PointDocumentMixin, DatedDocumentMixin, NumberedMixin,
        Workflow, ModelSQL, ModelView):
    __string__ = "Repair Point Visit"
    __name__ = 'aftersales.repair.visit'
    _number_sequence = 'repair_visit_sequence'
    _initial_state = 'planned'
    _deletable_states = ['planned', 'cancelled']

    date = fields.Date("Date", required=True, states=_planned)
    visitor = fields.Many2One(
        'res.user', "Visitor", required=True, states=_planned)
    topics = fields.MultiSelection([
            ('parts', "Parts Management"),
            ('guidance', "Repair Guidance"),
            ('returns', "Returned Goods Assessment"),
            ('service', "Service Quality"),
            ('training', "Training"),
            ], "Topics", states=_planned,
        help="What the visit covered.")
    findings = fields.Text("Findings", states=_planned)
    quality_feedback = fields.Text(
        "Quality Feedback", states=_planned,
        help="What the point reports on the products' quality.")
    service_feedback = fields.Text(
        "Service Feedback", states=_planned,
        help="What the point and its customers report on the service.")
    state = state_field([
            ('planned', "Planned"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('planned', 'done'),
            ('planned', 'cancelled'),
            ('cancelled', 'planned'),
            }
        cls._buttons.update(state_buttons(
                do=['planned'], cancel=['planned'], plan=['cancelled']))

    @classmethod
    def default_visitor(cls):
        return Transaction().user or None

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, visits):
        "Record the visit with its topics and findings (N5)"
        pool = Pool()
        today = pool.get('ir.date').today()
        lang = pool.get('ir.lang').get()
        for visit in visits:
            if visit.date > today:
                raise VisitError(gettext(
                        'aftersales_repair_network.msg_visit_future',
                        visit=visit.rec_name,
                        date=lang.strftime(visit.date)))
            if not visit.topics or not visit.findings:
                raise VisitError(gettext(
                        'aftersales_repair_network.msg_visit_incomplete',
                        visit=visit.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, visits):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('planned')
    def plan(cls, visits):
        pass
