"""A branch office's or a repair point's user reaches only its own party's
documents, however it asks

SCOPES lists, for the demo login of each party-bound role, every model a
record rule limits to the user's party, with the path from the model to that
party and the party the login works for in the row (its own, or another
where all the demo's documents of the model are its own). Each row is
checked the ways a client can reach a record: the plain search, a search
for the other parties' ids, a search through the related path, a read and
a write by id, and the lines of the other parties' documents, by search
and by id.
"""
import pytest

from proteus import Model
from trytond.model.exceptions import AccessError
from trytond.modules.aftersales_warranty.tests.demo import (
    channel_party as party)
from trytond.tests.tools import set_user

# The demo logins with the parties they work for
OFFICE = ('office', 'office_guangzhou')
POINT = ('repairpoint', 'store_guangzhou')
SCOPES = [
    # login, the party it works for, model, path from the model to the
    # party
    (*OFFICE, 'aftersales.rma.application', 'sender'),
    (*OFFICE, 'aftersales.repair.point', 'office'),
    (*OFFICE, 'aftersales.repair.order', 'point.office'),
    (*OFFICE, 'aftersales.repair.requisition', 'point.office'),
    (*OFFICE, 'aftersales.repair.exchange', 'point.office'),
    (*OFFICE, 'aftersales.repair.dispute', 'point.office'),
    (*OFFICE, 'aftersales.repair.compensation', 'point.office'),
    (*OFFICE, 'aftersales.repair.visit', 'point.office'),
    (*OFFICE, 'aftersales.audit.plan', 'office'),
    (*OFFICE, 'aftersales.audit.finding', 'plan.office'),
    ('office', 'office_wuhan', 'aftersales.audit.rectification',
        'finding.plan.office'),
    ('office', 'office_wuhan', 'aftersales.audit.post_score', 'office'),
    (*POINT, 'aftersales.repair.point', 'party'),
    (*POINT, 'aftersales.repair.order', 'point.party'),
    (*POINT, 'aftersales.repair.requisition', 'point.party'),
    (*POINT, 'aftersales.repair.exchange', 'point.party'),
    (*POINT, 'aftersales.repair.dispute', 'point.party'),
    (*POINT, 'aftersales.repair.compensation', 'point.party'),
    (*POINT, 'aftersales.repair.visit', 'point.party'),
    (*POINT, 'aftersales.repair.rebate', 'party'),
    (*POINT, 'account.invoice', 'party'),
    ]
# model: [(line model, its field to the model)]
LINES = {
    'aftersales.rma.application': [
        ('aftersales.rma.application.line', 'application')],
    'aftersales.repair.point': [('aftersales.repair.point.part', 'point')],
    'aftersales.repair.order': [('aftersales.repair.order.line', 'order')],
    'aftersales.repair.requisition': [
        ('aftersales.repair.requisition.line', 'requisition')],
    'aftersales.repair.exchange': [
        ('aftersales.repair.exchange.line', 'exchange')],
    }


@pytest.fixture
def works_for():
    """Return a function binding a demo login to a party; the login's own
    party comes back after the test"""
    User = Model.get('res.user')
    bound = {}

    def bind(login, key):
        user, = User.find([('login', '=', login)])
        bound.setdefault(user.id, user.aftersales_party)
        user.aftersales_party = party(key)
        user.save()
    yield bind
    set_user(1)
    for user_id, own in bound.items():
        user = User(user_id)
        user.aftersales_party = own
        user.save()


def answered_for(party):
    "The ids of party and of the dealers it answers for, down the chain"
    Party = Model.get('party.party')
    parties, level = [party.id], [party.id]
    while level:
        level = [p.id for p in Party.find([('upstream', 'in', level)])]
        parties += level
    return parties


def act_as_login(act_as, logins, login):
    module, group = next(k for k, v in logins.items() if v == login)
    act_as(module, group)


def refused_by_id(model, id_, config):
    """Reading the record by its id is refused, and so is writing it unless
    the model is a query that nobody writes"""
    proxy = Model.get(model)._proxy
    with pytest.raises(AccessError):
        proxy.read([id_], ['rec_name'], config.context)
    if not config.pool.get(model)._is_table_query():
        with pytest.raises(AccessError):
            proxy.write([id_], {}, config.context)


@pytest.mark.parametrize('login, key, model, path', SCOPES)
def test_other_parties_documents_out_of_reach(
        config, act_as, logins, works_for, login, key, model, path):
    """The user of an office or a repair point can neither find, read nor
    change another party's documents and their lines (W7)"""
    works_for(login, key)
    parties = answered_for(party(key))
    Document = Model.get(model)
    own = {d.id for d in Document.find([(path, 'in', parties)])}
    others = [d.id for d in Document.find([('id', 'not in', list(own))])]
    assert others, f"the demo has no {model} of another party"
    other_lines = {line_model: [
            l.id for l in Model.get(line_model).find([(field, 'in', others)])]
        for line_model, field in LINES.get(model, [])}

    act_as_login(act_as, logins, login)
    Document = Model.get(model)
    assert {d.id for d in Document.find([])} <= own
    assert not Document.find([('id', 'in', others)])
    assert not Document.find([(path, 'not in', parties)])
    refused_by_id(model, others[0], config)
    for (line_model, field), ids in zip(
            LINES.get(model, []), other_lines.values()):
        assert not Model.get(line_model).find([(field, 'in', others)])
        if ids:
            refused_by_id(line_model, ids[0], config)


def test_office_reaches_its_dealers_returns(config, act_as, logins):
    """An office manager's user finds the returns of the stores its office
    answers for, and no longer once a store answers to another office
    (W7)"""
    Application = Model.get('aftersales.rma.application')
    office_return, = Application.find([
            ('sender', '=', party('office_guangzhou').id),
            ('state', '=', 'submitted')])
    store = party('store_shenzhen')
    application = Application(sender=store)
    application.planned_date = office_return.planned_date
    application.save()

    act_as_login(act_as, logins, 'office')
    assert Application.find([('id', '=', application.id)])

    set_user(1)
    store.upstream = party('office_wuhan')
    store.save()
    try:
        act_as_login(act_as, logins, 'office')
        assert not Application.find([('id', '=', application.id)])
    finally:
        set_user(1)
        store.upstream = party('office_guangzhou')
        store.save()
        Application.delete([Application(application.id)])
