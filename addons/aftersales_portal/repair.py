"""The repair point's repair orders: their promise dates and the overdue
ones (R2)"""
from .page import find_record, route, templates

PAGE_SIZE = 50
# The states of a repair point: those of a point that holds parts
POINT_STATES = ['approved', 'suspended']


def party_id(page):
    """The id of the page's party, -1 when its web user has none

    The repair point's pages search with it besides the record rules,
    which scope the portal's user to the same party (rule.py).
    """
    return page.party.id if page.party else -1


def repair_points(page, point_id=None):
    """The repair points of the page's party (the one of point_id when
    given), as the record rules let the page see them"""
    Point = page.pool.get('aftersales.repair.point')
    domain = [
        ('party', '=', party_id(page)),
        ('state', 'in', POINT_STATES),
        ]
    if point_id is not None:
        domain.append(('id', '=', point_id))
    return Point.search(domain)


def is_repair_point(page):
    "Whether the page's party is a repair point: its pages are linked"
    return bool(page.party and repair_points(page))


templates.globals['is_repair_point'] = is_repair_point


@route('repair/orders')
def orders(page):
    """The repair orders of the party's points, newest first, the overdue
    ones only when asked, by number when one is given (R2)"""
    Order = page.pool.get('aftersales.repair.order')
    query = page.request.args
    number = query.get('number', '').strip()
    overdue = query.get('overdue') == '1'
    domain = [('point.party', '=', party_id(page))]
    if number:
        domain.append(('number', 'ilike', f'%{number}%'))
    if overdue:
        domain.append(('overdue', '=', True))
    records = Order.search(
        domain, order=[('date', 'DESC'), ('id', 'DESC')], limit=PAGE_SIZE)
    return page.render('repair_orders.html', orders=records, number=number,
        overdue=overdue)


@route('repair/orders/<int:order_id>')
def order(page, order_id):
    "One repair order of the party's points, else the page of an unknown one"
    Order = page.pool.get('aftersales.repair.order')
    record = find_record(Order, [
            ('id', '=', order_id),
            ('point.party', '=', party_id(page)),
            ])
    if not record:
        return page.not_found()
    return page.render('repair_order.html', order=record,
        lines=list(record.lines))
