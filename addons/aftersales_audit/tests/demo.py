"""Demo data of the office audits and management reports, built with proteus

``build`` adds to a demo built by the warranty, returns, repair network and
service modules' builders: the audit team and the line manager's login,
audits of three offices in every state — two reported (one late, with an
overdue rectification order), a surprise audit under way, one awaiting the
vice-president and a surprise audit approved but not started — then the
cost ledger (demo_cost) and the management workbook (demo_report).
"""
import datetime as dt
from decimal import Decimal

from proteus import Model
from trytond.modules.aftersales_warranty.tests.demo import (
    click, create_employees, create_users)

from . import demo_cost, demo_report

# The audit team: name, role (A2)
TEAM = [
    ('客服部 审计组长 何敏', 'leader'),
    ('销售计划部 孙浩', 'sales_planning'),
    ('财务部 钱芳', 'finance'),
    ('市场部 冯涛', 'ad_hoc'),
    ]
# The office's employee answering for the rectification orders
OWNER = '广州办事处 会计 罗娟'
LINE_MANAGER = ('line', 'aftersales_audit', 'group_line_manager',
    '营销中心销售管理部 王磊', None)
CONTENT = "核对账目与库存，抽查退货申请与维修记录。"
METHOD = "查阅凭证和台账，盘点库存，访谈岗位人员。"
# Audits: office, notice, kind, days from today to its start, completion
# and report due, budget, actual cost, the state it reaches, the score of
# each criterion (in the order of the criteria) or None
AUDITS = [
    ('office_guangzhou', 'announced', 'periodic', (-100, -95, 0),
        '4200', '3980', 'closed', [60, 70, 65, 70, 60, 75, 70, 65, 70]),
    ('office_guangzhou', 'announced', 'periodic', (-25, -20, -13),
        '3600', '3720', 'reported', [80, 85, 75, 80, 85, 80, 90, 85, 80]),
    ('office_wuhan', 'surprise', 'ad_hoc', (-2, 3, 10),
        '2500', None, 'in_progress', None),
    ('office_shanghai', 'announced', 'periodic', (10, 15, 22),
        '4000', None, 'submitted', None),
    ('office_shanghai', 'surprise', 'ad_hoc', (20, 25, 32),
        '2000', None, 'approved', None),
    ]
# Findings: index in AUDITS, severity, description, forwarded, the
# rectification ordered: instructions, days from today issued and due,
# the state it reaches
FINDINGS = [
    (0, 'major', "退货凭证缺失两张，无法与台账核对。", True,
        ("补齐退货凭证并建立凭证交接登记。", -90, -75, 'closed')),
    (1, 'critical', "库存盘点短少吸顶灯 12 套，账实不符。", True,
        ("查明短少原因，按公司制度处理并上报结果。", -10, -2, 'open')),
    (1, 'minor', "回访记录有三条未填写结果。", False, None),
    (2, 'major', "维修点押金收据未按月对账。", False, None),
    ]
STATES = ['draft', 'submitted', 'approved', 'in_progress', 'reported',
    'closed']
BUTTONS = {
    'submitted': 'submit', 'approved': 'approve', 'in_progress': 'start',
    'reported': 'report', 'closed': 'close'}


def create_team(company, config=None):
    "Create the audit team's employees; return them with their roles"
    employees = create_employees(
        company, [name for name, _ in TEAM], config=config)
    return list(zip(employees, [role for _, role in TEAM]))


def create_plans(company, channel, team, today, config=None):
    "Create the audits of AUDITS as drafts; return them"
    Plan = Model.get('aftersales.audit.plan', config=config)
    plans = []
    for office, notice, kind, days, budget, actual, _, _ in AUDITS:
        start, completion, due = (today + dt.timedelta(days=d) for d in days)
        plan = Plan(
            company=company, office=channel[office], notice=notice,
            kind=kind, date=start - dt.timedelta(days=14),
            content=CONTENT, method=METHOD, start_date=start,
            completion_date=completion, report_due=due)
        for employee, role in team:
            plan.members.new(employee=employee, role=role)
        plan.costs.new(description="差旅费", budget=Decimal(budget),
            actual=Decimal(actual) if actual else None)
        plans.append(plan)
    Plan.save(plans)
    return plans


def advance(plans, until, config=None):
    """Click the plans through their workflow up to the state before
    until reaches 'reported', recording findings and scores on the way"""
    for state in STATES[1:]:
        moving = [p for p, s in zip(plans, until)
            if STATES.index(s) >= STATES.index(state)]
        if state == 'reported':
            record_audits(plans, config=config)
        click(moving, BUTTONS[state])


def record_audits(plans, config=None):
    "Record the findings and scores of the audits under way"
    Finding = Model.get('aftersales.audit.finding', config=config)
    Plan = Model.get('aftersales.audit.plan', config=config)
    findings = [Finding(plan=plans[i], severity=severity, description=text)
        for i, severity, text, _, _ in FINDINGS]
    Finding.save(findings)
    scored = []
    for plan, (*_, scores) in zip(plans, AUDITS):
        if scores:
            for line, score in zip(plan.scores, scores):
                line.score = Decimal(score)
            plan.report_summary = "账目与库存总体相符，问题见审计发现。"
            scored.append(plan)
    Plan.save(scored)


def rectify(plans, owner, today, config=None):
    """Forward the reported findings of FINDINGS and issue their
    rectification orders (A7); return the orders"""
    Finding = Model.get('aftersales.audit.finding', config=config)
    Rectification = Model.get(
        'aftersales.audit.rectification', config=config)
    findings = {f.description: f for f in Finding.find([])}
    click([findings[text] for _, _, text, forward, _ in FINDINGS
            if forward], 'forward')
    orders, closed = [], []
    for _, _, text, _, order in FINDINGS:
        if order:
            instructions, issued, due, state = order
            orders.append(Rectification(
                    finding=findings[text], owner=owner,
                    instructions=instructions,
                    date=today + dt.timedelta(days=issued),
                    due_date=today + dt.timedelta(days=due)))
            if state == 'closed':
                orders[-1].done_note = "凭证已补齐，交接登记已建立。"
                closed.append(orders[-1])
    Rectification.save(orders)
    click(closed, 'do')
    click(closed, 'close')
    return orders


def build(data, config=None):
    """Add the audit demo to data built by the other modules' demos

    data needs 'company', 'channel', 'accounting' and 'today'; it gets
    'audit': {'plans', 'rectifications', 'workbook'}, 'cost' and the line
    manager's login in 'users'.
    """
    company, today = data['company'], data['today']
    data['users'].update(create_users(
            company, data['channel'], users=[LINE_MANAGER], config=config))
    team = create_team(company, config=config)
    plans = create_plans(
        company, data['channel'], team, today, config=config)
    advance(plans, [a[6] for a in AUDITS], config=config)
    # the office's employee who owns the rectification orders
    owner, = create_employees(company, [OWNER], config=config)
    data['audit'] = {
        'plans': plans,
        'rectifications': rectify(plans, owner, today, config=config),
        }
    demo_cost.build(data, config=config)
    data['audit']['workbook'] = demo_report.build(config=config)
    return data
