"""The repair point's consigned parts, its deposit and its old-for-new
exchanges (N4, W8)"""

from .page import route
from .repair import PAGE_SIZE, party_id, repair_points
from .statement import amount_formatter


@route('repair/parts')
def parts(page):
    """The parts consigned to each of the party's points, those below their
    safety quantity marked, and the deposit each point paid (N4)

    A point id in the query shows that point only.
    """
    point_id = page.request.args.get('point')
    if point_id is not None:
        if not point_id.isdigit():
            return page.not_found()
        point_id = int(point_id)
    points = repair_points(page, point_id)
    if point_id is not None and not points:
        return page.not_found()
    return page.render('repair_parts.html', points=points,
        amount=amount_formatter(page))


@route('repair/exchanges')
def exchanges(page):
    """The old-for-new exchanges of the party's points at their offices,
    newest first: the office records them (N4, W8)"""
    Exchange = page.pool.get('aftersales.repair.exchange')
    records = Exchange.search([
            ('point.party', '=', party_id(page)),
            ], order=[('date', 'DESC'), ('id', 'DESC')], limit=PAGE_SIZE)
    return page.render('repair_exchanges.html', exchanges=records)
