"""Each model of the addons is open to the roles meant to use it, refused to
the others

ACCESS is the whole access policy in one table: for each model, what the
demo login of each role may do (r read, w write, c create, d delete). A line
model follows its header through __access__: it has no access row of its
own, and its line in the table repeats its header's. A Many2Many relation
has rows of its own: the roles that edit its header add and take off its
links (create and delete). Each cell is checked
against the access rules of the database (ir.model.access.get_access, as
the clients ask it) for the demo user of the role, who holds only its role's
group and the groups it inherits from (the config and act_as fixtures of
conftest.py, shared with tests/test_roles.py); searching a model the clients
can search must fail exactly where the table refuses read.
"""
import pytest

from proteus import Model
from trytond.model import ModelStorage
from trytond.model.exceptions import AccessError

# The demo logins, in the order of the table's columns
ROLES = ['clerk', 'service', 'office', 'logistics', 'technical', 'finance',
    'vp', 'auditor', 'repairpoint', 'line']
ACCESS = {
    #                                           clerk service office logistics
    #                                           technical finance vp auditor
    #                                           repairpoint line
    'aftersales.configuration':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.configuration.repair_network':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.configuration.return_location':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.configuration.sequence':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.repair.compensation':
        'r--- rwcd rwc- ---- r--- r--- r--- r--- r--- r---',
    'aftersales.repair.dispute':
        'rwc- rwcd rwc- r--- r--- r--- r--- r--- rwc- r---',
    'aftersales.repair.exchange':
        'r--- rwcd rwc- rwc- r--- r--- r--- r--- r--- r---',
    'aftersales.repair.exchange.line':
        'r--- rwcd rwc- rwc- r--- r--- r--- r--- r--- r---',
    'aftersales.repair.order':
        'rwc- rwcd r--- r--- r--- r--- r--- r--- rwc- r---',
    'aftersales.repair.order.line':
        'rwc- rwcd r--- r--- r--- r--- r--- r--- rwc- r---',
    'aftersales.repair.point':
        'r--- rwcd rwc- rwc- r--- r--- r--- r--- r--- r---',
    'aftersales.repair.point-country.subdivision':
        'r--- rwcd rwcd rwcd r--- r--- r--- r--- r--- r---',
    'aftersales.repair.point.part':
        'r--- rwcd rwc- rwc- r--- r--- r--- r--- r--- r---',
    'aftersales.repair.rebate':
        '---- rwcd ---- ---- ---- rwc- r--- r--- r--- r---',
    'aftersales.repair.rebate.tier':
        '---- rwcd ---- ---- ---- rwc- r--- r--- r--- r---',
    'aftersales.repair.requisition':
        'r--- rwcd rwc- rwc- r--- r--- r--- r--- rwc- r---',
    'aftersales.repair.requisition.line':
        'r--- rwcd rwc- rwc- r--- r--- r--- r--- rwc- r---',
    'aftersales.repair.scale':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.repair.scale.part':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.repair.settlement':
        '---- rwcd ---- ---- ---- rwcd r--- r--- ---- r---',
    'aftersales.repair.settlement.line':
        '---- rwcd ---- ---- ---- rwcd r--- r--- ---- r---',
    'aftersales.repair.settlement.skipped':
        '---- rwcd ---- ---- ---- rwcd r--- r--- ---- r---',
    'aftersales.repair.visit':
        'r--- rwcd rwc- rwc- rwc- r--- r--- r--- r--- r---',
    'aftersales.rma.application':
        '---- rwc- rwcd rw-- r--- r--- r--- r--- ---- r---',
    'aftersales.rma.application.arrival_refusal':
        '---- rwc- rwcd rw-- r--- r--- r--- r--- ---- r---',
    'aftersales.rma.application.line':
        '---- rwc- rwcd rw-- r--- r--- r--- r--- ---- r---',
    'aftersales.rma.carrier.claim':
        '---- rwc- r--- rwc- ---- r--- r--- r--- ---- r---',
    'aftersales.rma.dispute':
        '---- rwc- r--- r--- rw-- r--- r--- r--- ---- r---',
    'aftersales.rma.reason':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.rma.region.week':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.warranty.cause':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.warranty.component':
        'r--- rwcd r--- r--- rwcd r--- r--- r--- r--- r---',
    'aftersales.warranty.exchange.criterion':
        'r--- rwcd r--- r--- rwcd r--- r--- r--- r--- r---',
    'aftersales.warranty.inspection':
        'rwc- rwc- r--- rwc- rwc- r--- r--- r--- ---- r---',
    'aftersales.warranty.inspection.answer':
        'rwc- rwc- r--- rwc- rwc- r--- r--- r--- ---- r---',
    'aftersales.warranty.inspection.reason':
        'rwc- rwc- r--- rwc- rwc- r--- r--- r--- ---- r---',
    'aftersales.warranty.policy':
        'r--- rwcd r--- r--- rwcd r--- r--- r--- r--- r---',
    'aftersales.warranty.policy.line':
        'r--- rwcd r--- r--- rwcd r--- r--- r--- r--- r---',
    'aftersales.warranty.quote':
        'rwc- rwc- r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.warranty.quote.line':
        'rwc- rwc- r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.warranty.referral':
        'r--- rwc- rwc- r--- r--- r--- r--- r--- ---- r---',
    'aftersales.warranty.registration':
        'rwc- rwc- r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.warranty.registration.line':
        'rwc- rwc- r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.configuration.service':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.service.calendar.day':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.service.call':
        'rwc- rwcd r--- r--- r--- ---- r--- r--- ---- r---',
    'aftersales.service.channel':
        'r--- rwcd r--- ---- ---- ---- r--- r--- ---- r---',
    'aftersales.service.channel-country.subdivision':
        'r--- rwcd r--- ---- ---- ---- r--- r--- ---- r---',
    'aftersales.service.responsibility':
        'r--- rwcd r--- r--- r--- ---- r--- r--- ---- r---',
    'sale.complaint-company.employee':
        'r--- rwcd ---- ---- ---- ---- r--- r--- ---- r---',
    'aftersales.service.request':
        'rwc- rwcd r--- r--- rw-- r--- r--- r--- ---- r---',
    'aftersales.service.request.visit':
        'rwc- rwcd r--- r--- rw-- r--- r--- r--- ---- r---',
    'aftersales.service.follow_up':
        'rwc- rwcd r--- ---- ---- ---- r--- r--- ---- r---',
    'aftersales.service.follow_up.coverage':
        'r--- r--- r--- ---- ---- ---- r--- r--- ---- r---',
    'aftersales.service.assessment':
        '---- r--- ---- ---- ---- ---- r--- r--- ---- r---',
    'aftersales.configuration.audit':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.audit.plan':
        '---- rwcd r--- ---- ---- r--- r--- rw-- ---- r---',
    'aftersales.audit.plan.member':
        '---- rwcd r--- ---- ---- r--- r--- rw-- ---- r---',
    'aftersales.audit.plan.cost':
        '---- rwcd r--- ---- ---- r--- r--- rw-- ---- r---',
    'aftersales.audit.score':
        '---- rwcd r--- ---- ---- r--- r--- rw-- ---- r---',
    'aftersales.audit.finding':
        '---- rwcd r--- ---- ---- r--- r--- rwcd ---- r---',
    'aftersales.audit.rectification':
        '---- r--- rw-- ---- ---- ---- r--- r--- ---- rwcd',
    'aftersales.audit.post':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.audit.criterion':
        'r--- rwcd r--- r--- r--- r--- r--- r--- r--- r---',
    'aftersales.audit.post_score':
        '---- r--- r--- ---- ---- ---- r--- r--- ---- r---',
    'aftersales.analysis.failure':
        '---- r--- ---- ---- r--- r--- r--- r--- ---- r---',
    'aftersales.analysis.complaint':
        '---- r--- ---- ---- r--- r--- r--- r--- ---- r---',
    'aftersales.analysis.repair':
        '---- r--- ---- ---- r--- r--- r--- r--- ---- r---',
    'aftersales.analysis.return_rate':
        '---- r--- ---- ---- r--- r--- r--- r--- ---- r---',
    'aftersales.report.workbook':
        '---- rwc- ---- ---- ---- r--- r--- r--- ---- r---',
    'aftersales.report.recipient':
        '---- rwcd ---- ---- ---- ---- rwcd r--- ---- r---',
    'aftersales.configuration.cost':
        'r--- r--- r--- r--- r--- rwcd r--- r--- r--- r---',
    'aftersales.cost.period':
        '---- r--- ---- ---- ---- rwcd r--- r--- ---- r---',
    'aftersales.cost.line':
        '---- r--- ---- ---- ---- rwcd r--- r--- ---- r---',
    'aftersales.cost.split':
        '---- r--- ---- ---- ---- r--- r--- r--- ---- r---',
    }
PERMS = {'r': 'read', 'w': 'write', 'c': 'create', 'd': 'delete'}
CELLS = [(model, login, cell)
    for model, row in ACCESS.items()
    for login, cell in zip(ROLES, row.split(), strict=True)]


def test_table_covers_every_model(config):
    "The table lists every model of the addons that stores records"
    IrModel = Model.get('ir.model')
    ours = {m.name for m in IrModel.find([
                ('module', 'in', [
                        'aftersales_warranty', 'aftersales_rma',
                        'aftersales_repair_network', 'aftersales_service',
                        'aftersales_audit']),
                ])
        if issubclass(config.pool.get(m.name), ModelStorage)}
    assert ours == set(ACCESS)


@pytest.mark.parametrize('model, login, cell', CELLS)
def test_access(config, act_as, logins, model, login, cell):
    "The role's demo user may do on the model what the table says, no more"
    module, group = next(k for k, v in logins.items() if v == login)
    act_as(module, group)
    ModelAccess = Model.get('ir.model.access')
    access = ModelAccess.get_access([model], config.context)[model]
    assert {p for p, allowed in access.items() if allowed} == {
        PERMS[c] for c in cell if c != '-'}
    if 'search' not in config.pool.get(model).__rpc__:
        return
    if 'r' in cell:
        Model.get(model).find([], limit=1)
    else:
        with pytest.raises(AccessError):
            Model.get(model).find([], limit=1)


def test_applicant_edits_coverage(act_as):
    """Logistics, which applied for the Quanzhou point, adds an area to the
    application's coverage and takes one off (N1)"""
    Point = Model.get('aftersales.repair.point')
    Subdivision = Model.get('country.subdivision')
    xiamen, = Subdivision.find([('name', '=', 'Xiamen')])
    act_as('aftersales_warranty', 'group_logistics')
    point, = Point.find([('state', '=', 'applied')])
    point.coverage.pop(0)
    point.coverage.append(Subdivision(xiamen.id))
    point.save()
    assert [s.id for s in point.coverage] == [xiamen.id]
