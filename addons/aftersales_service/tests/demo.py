"""Demo data of the customer-service desk, built with proteus

``build`` adds to a demo built by the warranty, returns and repair network
modules' builders: the sales channels of the hotline's orders, the holidays
of the working-day calendar, and a month of hotline calls whose complaints
stand at every step.
"""
import datetime as dt

from proteus import Model
from trytond.modules.aftersales_warranty.tests.demo import click

from . import demo_service

# Sales channels: name, the provinces and cities they serve
CHANNELS = [
    ('华东零售渠道', ['CN-SH', 'CN-ZJ', 'CN-JS']),
    ('华南卖场渠道', ['CN-GD', 'CN-FJ']),
    ('华中入户配送站', ['CN-HB', 'CN-HN']),
    ]
# Calls: days before today, hour (company time), kind, caller, phone, area,
# what the call is about; complaints: the step they reach
CALLS = [
    (29, 9, 'order', '孙丽', '13811110001', 'Hangzhou', ('CL-22', 4)),
    (27, 11, 'order', '马超', '13811110002', 'Guangzhou', ('CL-32', 2)),
    (26, 9, 'order', '郭靖', '13811110003', 'CN-XZ', ('CL-22', 1)),
    (25, 14, 'inquiry', '何静', '13811110004', 'Wuhan',
        ('LED 面板灯的价格', '介绍了价格和本月的促销活动。')),
    (23, 10, 'complaint', '王芳', '13800138001', 'Guangzhou',
        ('吸顶灯', '灯具使用一周后闪烁。', 'improved')),
    (20, 16, 'complaint', '李伟', '13900139002', 'Changsha',
        ('送货员', '送货晚了两天。', 'penalised')),
    (18, 9, 'complaint', '陈静', '13700137003', 'Hangzhou',
        ('吸顶灯', '灯罩破裂，划伤了手。', 'notified')),
    (15, 11, 'complaint', '赵磊', '13600136004', 'Shenzhen',
        ('发票', '发票金额有误。', 'proposed')),
    (12, 10, 'complaint', '吴刚', '13811110009', 'CN-SH',
        ('筒灯', '开灯时有异味。', 'investigated')),
    (9, 15, 'complaint', '郑秀', '13811110010', 'Hangzhou',
        ('客服热线', '电话多次无人接听。', 'assigned')),
    (6, 9, 'complaint', '冯磊', '13811110011', 'Wuhan',
        ('吸顶灯', '希望增加遥控调光款式。', 'classified')),
    (4, 13, 'complaint', '褚琳', '13811110012', 'Guangzhou',
        ('灯管', '说明书写错了功率，其实是误会。', 'invalid')),
    (2, 10, 'complaint', '卫东', '13811110013', 'Changsha',
        ('吊灯', '吊灯安装后松动。', 'recorded')),
    (1, 9, 'order', '蒋楠', '13811110014', 'Shenzhen', ('CL-32', 6)),
    (0, 10, 'inquiry', '沈洁', '13811110015', 'Fuzhou',
        ('保修期多久', '告知整灯保修一年。')),
    ]
# The step buttons, each with the text it records
STEPS = [
    ('classify', 'judgement', '投诉理由充分，属实。'),
    ('assign', 'assignment', '交责任部门处理。'),
    ('investigate', 'investigation', '已核实：问题属实。'),
    ('propose', 'solution', '为客户更换产品并致歉。'),
    ('approve', None, None),
    ('notify_customer', 'notice', '已电话告知客户处理方案，客户表示满意。'),
    ('penalise', 'penalty', '对责任人通报批评。'),
    ('improve', 'improvement', '加强出厂检验和送货时效管理。'),
    ]
REACHED = {
    'recorded': 0, 'classified': 1, 'assigned': 2, 'investigated': 3,
    'proposed': 4, 'notified': 6, 'penalised': 7, 'improved': 8}


def create_channels(company, subdivisions, config=None):
    "Create the sales channels of the hotline's orders"
    Channel = Model.get('aftersales.service.channel', config=config)
    channels = []
    for name, areas in CHANNELS:
        channel = Channel(company=company, name=name)
        channel.subdivisions.extend(
            [subdivisions[a] for a in areas if a in subdivisions])
        channels.append(channel)
    Channel.save(channels)
    return channels


def create_holidays(company, today, config=None):
    "Make the weekdays of the Labour Day and National Day weeks holidays"
    Day = Model.get('aftersales.service.calendar.day', config=config)
    days = []
    for year in [today.year - 1, today.year, today.year + 1]:
        for month, first, names in [(5, 1, '劳动节'), (10, 1, '国庆节')]:
            for n in range(5):
                date = dt.date(year, month, first) + dt.timedelta(n)
                if date.weekday() < 5:
                    days.append(Day(
                            company=company, date=date, kind='holiday',
                            name=names))
    Day.save(days)
    return days


def create_calls(company, subdivisions, products, today, config=None):
    "Record a month of hotline calls; return them"
    Call = Model.get('aftersales.service.call', config=config)
    calls = []
    for days, hour, kind, name, phone, area, about in CALLS:
        # Company time is UTC+8
        start = dt.datetime.combine(
            today - dt.timedelta(days), dt.time(hour)) - dt.timedelta(
            hours=8)
        call = Call(
            company=company, kind=kind, caller_name=name, phone=phone,
            street='人民路 %s 号' % (days + 1), subdivision=subdivisions[area],
            start=start, end=start + dt.timedelta(minutes=6))
        if kind == 'order':
            call.product = products[about[0]]
            call.quantity = about[1]
        elif kind == 'inquiry':
            call.topic, call.answer = about
        else:
            call.complaint_target, call.complaint_reason, _ = about
        calls.append(call)
    Call.save(calls)
    click([c for c in calls if c.kind == 'order'], 'route')
    # The last call is still on the line: it stays a draft
    click([c for c in calls[:-1] if c.kind != 'order'], 'record')
    return calls


def handle_complaints(calls, config=None):
    "Move each complaint of the calls to the step of CALLS"
    Responsibility = Model.get(
        'aftersales.service.responsibility', config=config)
    responsibility, = Responsibility.find(
        [('department', '=', 'customer_service')])
    complaints = []
    for call, (*_, about) in zip(calls, CALLS):
        if call.kind != 'complaint':
            continue
        complaint = call.complaint
        reached = about[2]
        if reached == 'invalid':
            complaint.validity = 'invalid'
            complaint.invalid_answer = '已向客户解释功率标注无误，客户表示理解。'
            complaint.save()
            click([complaint], 'close_invalid')
            continue
        complaint.validity = 'valid'
        complaint.complaint_class = (
            'suggestion' if '希望' in about[1] else 'service')
        complaint.bodily_harm = '划伤' in about[1]
        complaint.complex = reached == 'investigated'
        complaint.save()
        for button, name, text in STEPS[:REACHED[reached]]:
            if button == 'assign':
                complaint.responsibility = responsibility
            if name:
                setattr(complaint, name, text)
                complaint.save()
            click([complaint], button)
        complaints.append(complaint)
    return complaints


def build(data, config=None):
    """Add the customer-service demo to data built by the warranty demo

    data needs 'subdivisions', 'company', 'catalogue' and 'today'; it gets
    'service': {'channels', 'holidays', 'calls', 'complaints'}.
    """
    company, today = data['company'], data['today']
    subdivisions = data['subdivisions']
    channels = create_channels(company, subdivisions, config=config)
    holidays = create_holidays(company, today, config=config)
    calls = create_calls(
        company, subdivisions, data['catalogue']['products'], today,
        config=config)
    data['service'] = {
        'channels': channels,
        'holidays': holidays,
        'calls': calls,
        'complaints': handle_complaints(calls, config=config),
        }
    demo_service.build(data, config=config)
    return data
