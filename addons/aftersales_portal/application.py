"The return application pages: follow the party's returns"
from trytond.model.exceptions import AccessError

from .page import route

PAGE_SIZE = 50


@route('applications')
def applications(page):
    "The party's applications, newest first, by number when one is given"
    Application = page.pool.get('aftersales.rma.application')
    number = page.request.args.get('number', '').strip()
    domain = [('number', 'ilike', f'%{number}%')] if number else []
    records = Application.search(
        domain, order=[('date', 'DESC'), ('id', 'DESC')], limit=PAGE_SIZE)
    return page.render('applications.html', applications=records,
        number=number)


@route('applications/<int:application_id>')
def application(page, application_id):
    "One application of the party, else the page of an unknown one"
    Application = page.pool.get('aftersales.rma.application')
    records = Application.search([('id', '=', application_id)])
    if not records:
        return page.not_found()
    record, = records
    try:
        lines = list(record.lines)
    except AccessError:
        return page.not_found()
    return page.render('application.html', application=record, lines=lines)
