"""Demo data of the management reports: a recipient and one workbook

Called after the demos of the other modules, whose returns, repairs and
complaints the workbook's analysis sheets show.
"""
from dateutil.relativedelta import relativedelta
from proteus import Model, Wizard

from trytond.modules.aftersales_warranty.tests.demo import (
    _config, company_today, get_company)

RECIPIENT = 'management@example.com'


def build(config=None):
    """Generate the workbook of the last three months, then make the
    management a recipient of the next ones (the demo sends no e-mail);
    return the workbook"""
    config = _config(config)
    Recipient = Model.get('aftersales.report.recipient', config=config)
    Workbook = Model.get('aftersales.report.workbook', config=config)
    company = get_company(config)
    today = company_today(config)
    generate = Wizard('aftersales.report.workbook.generate', config=config)
    generate.form.company = company
    generate.form.start_date = (
        today.replace(day=1) - relativedelta(months=2))
    generate.form.end_date = today
    generate.execute('generate')
    Recipient(company=company, email=RECIPIENT).save()
    workbook, = Workbook.find(
        [('company', '=', company.id)], order=[('id', 'DESC')], limit=1)
    return workbook
