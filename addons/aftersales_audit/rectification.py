"Rectification orders the line department issues on forwarded findings"
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.dates import within_days
from trytond.modules.aftersales_warranty.document import (
    DatedDocumentMixin, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.overdue import (
    OverdueMixin, overdue_field)
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.aftersales_warranty.stamp import (
    reset_stamps, stamp, step_stamps)
from trytond.pool import Pool
from trytond.pyson import Eval

from .exceptions import AuditError

_open = editable_in('open')


class Rectification(OverdueMixin, DatedDocumentMixin, NumberedMixin,
        Workflow, ModelSQL, ModelView):
    """Rectification Order

    An order of the line department to the audited office on a finding
    the vice-president forwarded (A7): what to put right, who owns it and
    by when. The office reports it done, the line department closes it.
    """
    __string__ = "Rectification Order"
    __name__ = 'aftersales.audit.rectification'
    _number_sequence = 'rectification_sequence'
    _initial_state = 'open'
    _deletable_states = ['cancelled']
    _muted_states = ['closed', 'cancelled']
    _copy_reset = ['done_date', 'done_note', 'closed_by', 'closed_at']

    date = fields.Date("Issued On", required=True, states=_open)
    finding = fields.Many2One(
        'aftersales.audit.finding', "Finding", required=True, states=_open,
        domain=[('plan.company', '=', Eval('company', -1))],
        help="The finding the vice-president forwarded.")
    office = fields.Function(
        party_field("Office"), 'on_change_with_office',
        searcher='search_office')
    instructions = fields.Text("Instructions", required=True, states=_open)
    owner = fields.Many2One(
        'company.employee', "Owner", required=True, states=_open,
        domain=[('company', '=', Eval('company', -1))],
        help="The employee answering for the rectification.")
    due_date = fields.Date(
        "Due Date", required=True, states=_open,
        domain=[('due_date', '>=', Eval('date', None))])
    done_date = fields.Date("Done On", readonly=True)
    done_note = fields.Text(
        "Work Done", states=_open,
        help="What the office did, reported with the order done.")
    closed_by, closed_at = step_stamps("Closed")
    overdue = overdue_field("The order is not done by its date.")
    state = state_field([
            ('open', "Open"),
            ('done', "Done"),
            ('closed', "Closed"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.finding, Index.Equality())),
                Index(t, (t.due_date, Index.Range()),
                    where=t.state == 'open'),
                })
        cls._transitions |= {
            ('open', 'done'),
            ('done', 'open'),
            ('done', 'closed'),
            ('open', 'cancelled'),
            }
        cls._buttons.update(state_buttons(
                do=['open'], reopen=['done'], close=['done'],
                cancel=['open']))

    @classmethod
    def default_due_date(cls):
        "Due the configured days after today, the issue date (A7)"
        pool = Pool()
        Company = pool.get('company.company')
        Configuration = pool.get('aftersales.configuration')
        company = cls.default_company()
        if company is not None and company >= 0:
            days = Configuration.company_value(
                'rectification_days', Company(company))
            return within_days(cls.default_date(), days)

    @fields.depends('finding', '_parent_finding.plan')
    def on_change_with_office(self, name=None):
        if self.finding and self.finding.plan:
            return self.finding.plan.office

    @classmethod
    def search_office(cls, name, clause):
        return [('finding.plan.' + clause[0], *clause[1:])]

    @classmethod
    def _overdue_domain(cls, date):
        "The open orders past their due date (A7)"
        return [
            ('state', '=', 'open'),
            ('due_date', '<', date),
            ]

    @classmethod
    def validate_fields(cls, orders, field_names):
        super().validate_fields(orders, field_names)
        if 'finding' in field_names:
            cls.check_finding_forwarded(orders)

    @classmethod
    def check_finding_forwarded(cls, orders):
        "Only a finding the vice-president forwarded is ordered upon (A7)"
        for order in orders:
            if order.finding.state != 'forwarded':
                raise AuditError(gettext(
                        'aftersales_audit.msg_rectification_not_forwarded',
                        order=order.rec_name,
                        finding=order.finding.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, orders):
        "The office reports the order done, saying what it did"
        for order in orders:
            if not order.done_note:
                raise AuditError(gettext(
                        'aftersales_audit.msg_rectification_no_note',
                        order=order.rec_name))
        cls.write(orders, {'done_date': Pool().get('ir.date').today()})

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    @reset_stamps('closed')
    def reopen(cls, orders):
        "The line department sends back a rectification not done"
        cls.write(orders, {'done_date': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    @stamp('closed')
    def close(cls, orders):
        "The line department accepts the rectification"

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, orders):
        pass
