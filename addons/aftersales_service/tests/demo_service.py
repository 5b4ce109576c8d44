"""Demo data of the service desk's requests, follow-ups and assessment

Called at the end of aftersales_service.tests.demo.build, on the data of
the warranty and repair network demos.
"""
import datetime as dt

from dateutil.relativedelta import relativedelta
from proteus import Model

from trytond.modules.aftersales_warranty.tests.demo import (
    _config, click, company_today, create_employees)

TECHNICIANS = ['周强', '孙丽']
SPECIALIST = '何敏'
# consumer, product, months since purchase, days ago, visits failed,
# final state, scores of the satisfaction call, fault
REQUESTS = [
    ('consumer_wang', 'CL-22', 3, 26, 0, 'resolved', (5, 5, 4, 5),
        "吸顶灯通电后闪烁"),
    ('consumer_li', 'CL-32', 30, 19, 1, 'resolved', (4, 3, 4, 4),
        "灯管两端发黑，不能启动"),
    ('consumer_chen', 'RL-26', 2, 12, 0, 'resolved', (3, 4, 2, 4),
        "筒灯时亮时不亮"),
    ('consumer_zhao', 'RL-13', 5, 3, 0, 'repaired', None,
        "开关后有嗡嗡声"),
    ('consumer_liu', 'CL-40', 26, 2, 1, 'open', None,
        "整灯不亮，镇流器发烫"),
    ('consumer_wang', 'CL-22', 3, 0, 0, 'draft', None,
        "遥控器失灵"),
    ]


def create_staff(company, config=None):
    "Create the technicians and the specialist; return them by name"
    employees = create_employees(
        company, TECHNICIANS + [SPECIALIST], config=config)
    return {e.party.name: e for e in employees}


def make_members(channel, config=None):
    "Make every consumer of the channel a member customer (C6)"
    Party = Model.get('party.party', config=config)
    consumers = [p for k, p in channel.items() if k.startswith('consumer_')]
    for consumer in consumers:
        consumer.service_member = True
    Party.save(consumers)
    return consumers


def create_requests(channel, products, staff, today, config=None):
    """Create the service requests of the month (C7) in every state: in and
    out of warranty, failed once, awaiting the call, resolved; return them
    """
    Request = Model.get('aftersales.service.request', config=config)
    Component = Model.get('aftersales.warranty.component', config=config)
    ballast, = Component.find([('code', '=', 'ballast')])
    # The visits of the started requests are today, those repaired on time
    now = dt.datetime.now().replace(microsecond=0)
    requests = []
    for i, (consumer, product, months, days, _, _, _, fault) in enumerate(
            REQUESTS):
        request = Request(kind='on_site')
        request.customer = channel[consumer]
        request.date = today - dt.timedelta(days=days)
        request.product = products[product]
        request.purchase_date = today - relativedelta(months=months)
        request.component = ballast
        request.fault = fault
        start = (now - dt.timedelta(hours=1) if days
            else dt.datetime.combine(request.date + dt.timedelta(1),
                dt.time(1, 30)))
        _plan_visit(request, staff[TECHNICIANS[i % 2]], start)
        requests.append(request)
    Request.save(requests)
    by_state = {}
    for request, row in zip(requests, REQUESTS):
        by_state.setdefault(row[5], []).append((request, row))
    started = [r for r in requests
        if r not in [q for q, _ in by_state.get('draft', [])]]
    click(started, 'open')
    for request in started:
        _quote(request, products)
    for request, row in zip(requests, REQUESTS):
        for _ in range(row[4]):
            request.click('fail')
    for state in ['repaired', 'resolved']:
        for request, row in by_state.get(state, []):
            _repair(request, row)
    return requests


def _plan_visit(request, technician, start):
    request.visits.new(technician=technician, appointment_start=start,
        appointment_end=start + dt.timedelta(hours=2))


def _quote(request, products):
    "Quote the ballast and the labour of a request out of warranty (W2)"
    if request.free:
        return
    quote = request.quote
    quote.lines.new(product=products['SP-BAL'])
    quote.click('quote')
    request.reload()


def _repair(request, row):
    "Repair with the customer's signature and record the call when made"
    *_, scores, _ = row
    visit = request.visits[-1]
    visit.work = "更换镇流器，通电测试正常"
    visit.signer_name = request.customer.name
    request.click('repair')
    if scores:
        visit = request.visits[-1]
        visit.attitude, visit.skill, visit.punctuality, visit.result = scores
        request.click('record_call')


def create_follow_ups(customer, specialist, today, config=None):
    """Assign a specialist to a customer (C12), make the first of the open
    follow-up calls (C6) and leave the second one past its due date;
    return the follow-ups"""
    FollowUp = Model.get('aftersales.service.follow_up', config=config)
    customer.service_specialist = specialist
    customer.save()
    follow_ups = FollowUp.find([], order=[('id', 'ASC')])
    first = follow_ups[0]
    first.called_at = dt.datetime.combine(first.due_date, dt.time(2, 0))
    first.notes = "灯具使用正常，顾客对上门服务满意"
    first.click('do')
    # The customer could not be reached before the call fell due
    late = follow_ups[1]
    late.due_date = today - dt.timedelta(days=1)
    late.notes = "两次致电无人接听"
    late.save()
    return follow_ups


def build(data, config=None):
    """Add the service requests and follow-ups to the demo data

    data gets 'service': {'staff', 'requests', 'follow_ups'}.
    """
    config = _config(config)
    today = data.get('today') or company_today(config)
    channel = data['channel']
    service = data.setdefault('service', {})
    service['staff'] = staff = create_staff(data['company'], config=config)
    make_members(channel, config=config)
    service['requests'] = create_requests(
        channel, data['catalogue']['products'], staff, today, config=config)
    service['follow_ups'] = create_follow_ups(
        channel['consumer_zhao'], staff[SPECIALIST], today, config=config)
