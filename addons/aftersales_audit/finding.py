"What an audit found, and the vice-president forwarding it to the line"
from sql.aggregate import Count

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.aftersales_warranty.document import (
    owner_field, search_rec_name_in, state_buttons, state_field)
from trytond.modules.aftersales_warranty.stamp import stamp, step_stamps
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

REC_NAME_LENGTH = 40
_open = {'readonly': (Eval('state') != 'draft')
    | (Eval('plan_state') != 'in_progress')}


class Finding(Workflow, ModelSQL, ModelView):
    """Audit Finding

    A problem the audit exposed, with its severity and its evidence
    attached. The audit team records it while the audit is under way, so
    it has access rights of its own rather than its plan's. The audit team
    cannot order anything (A7): the vice-president forwards the finding to
    the line department, which issues the rectification orders.
    """
    __string__ = "Audit Finding"
    __name__ = 'aftersales.audit.finding'

    plan = owner_field(
        'aftersales.audit.plan', "Plan",
        states={'readonly': Eval('id', -1) >= 0})
    plan_state = fields.Function(
        fields.Selection('get_plan_states', "Plan State"),
        'on_change_with_plan_state')
    office = fields.Function(
        fields.Many2One('party.party', "Office"), 'on_change_with_office',
        searcher='search_office')
    description = fields.Text("Description", required=True, states=_open)
    post = fields.Many2One(
        'aftersales.audit.post', "Post", states=_open,
        help="The office's post the finding concerns.")
    severity = fields.Selection([
            ('minor', "Minor"),
            ('major', "Major"),
            ('critical', "Critical"),
            ], "Severity", required=True, states=_open, sort=False)
    severity_string = severity.translated('severity')
    evidence = fields.Function(
        fields.Integer("Evidence", help="The number of documents attached."),
        'get_evidence')
    rectifications = fields.One2Many(
        'aftersales.audit.rectification', 'finding', "Rectification Orders",
        readonly=True)
    forwarded_by, forwarded_at = step_stamps("Forwarded")
    state = state_field([
            ('draft', "Draft"),
            ('forwarded', "Forwarded"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('plan', 'DESC'), ('id', 'ASC')]
        cls._transitions |= {('draft', 'forwarded')}
        cls._buttons.update(state_buttons(forward=['draft']))
        cls._buttons['forward']['readonly'] = ~Eval('plan_state').in_(
            ['reported', 'closed'])
        cls._buttons['forward']['depends'].append('plan_state')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_severity(cls):
        return 'minor'

    @classmethod
    def check_modification(cls, mode, findings, values=None, external=False):
        "Only the draft findings of an audit under way change (A7)"
        super().check_modification(
            mode, findings, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for finding in findings:
                if (finding.state != 'draft'
                        or finding.plan.state != 'in_progress'):
                    raise AccessError(gettext(
                            'aftersales_audit.msg_finding_locked',
                            finding=finding.rec_name))

    @classmethod
    def get_plan_states(cls):
        Plan = Pool().get('aftersales.audit.plan')
        return Plan.fields_get(['state'])['state']['selection']

    @fields.depends('plan', '_parent_plan.state')
    def on_change_with_plan_state(self, name=None):
        return self.plan.state if self.plan else None

    @fields.depends('plan', '_parent_plan.office')
    def on_change_with_office(self, name=None):
        return self.plan.office if self.plan else None

    @classmethod
    def search_office(cls, name, clause):
        return [('plan.' + clause[0], *clause[1:])]

    def get_rec_name(self, name):
        "The plan's number and the finding's first line, shortened"
        summary = (self.description or '').splitlines()
        summary = summary[0] if summary else ''
        if len(summary) > REC_NAME_LENGTH:
            summary = summary[:REC_NAME_LENGTH - 1] + '…'
        return '%s: %s' % (self.plan.rec_name, summary)

    @classmethod
    def search_rec_name(cls, name, clause):
        return search_rec_name_in(clause, 'plan.rec_name', 'description')

    @classmethod
    def get_evidence(cls, findings, name):
        "Count the documents attached to each finding, in SQL"
        Attachment = Pool().get('ir.attachment')
        attachment = Attachment.__table__()
        cursor = Transaction().connection.cursor()
        counts = dict.fromkeys((f.id for f in findings), 0)
        for sub in grouped_slice(findings, backend.MAX_QUERY_PARAMS):
            cursor.execute(*attachment.select(
                    attachment.resource, Count(attachment.id),
                    where=attachment.resource.in_([str(f) for f in sub]),
                    group_by=[attachment.resource]))
            for resource, count in cursor:
                counts[int(resource.split(',')[1])] = count
        return counts

    @classmethod
    @ModelView.button
    @Workflow.transition('forwarded')
    @stamp('forwarded')
    def forward(cls, findings):
        """The vice-president forwards the reported findings to the line
        department (A7)"""
