"The after-sales cost ledger: gathering, closing and the split (C9)"
import calendar
import datetime as dt
import io
from decimal import Decimal

import openpyxl

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.model.modelview import AccessButtonError
from trytond.modules.account.tests.test_module import (
    create_chart, get_fiscalyear)
from trytond.modules.aftersales_repair_network.tests.test_module import (
    create_order, create_point)
from trytond.modules.aftersales_rma.tests.test_module import (
    create_counted_application, create_products)
from trytond.modules.aftersales_service.tests.test_follow_up import (
    create_requests)
from trytond.modules.aftersales_warranty.tests.tools import (
    ActivatedTestCase, acting_as, count_queries, create_party, create_user,
    new_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from ..cost_line import KINDS
from .test_plan import create_plan, report_plan, start_plans

TODAY = dt.date.today()
START = TODAY.replace(day=1)
END = TODAY.replace(day=calendar.monthrange(TODAY.year, TODAY.month)[1])
NOON = dt.datetime.combine(TODAY, dt.time(12))


def set_up_accounting(company, visit_amount=Decimal('25')):
    """Give company a chart, a fiscal year with periods and the cost
    accounting configuration; return the accounts {name: account}"""
    pool = Pool()
    Account = pool.get('account.account')
    Configuration = pool.get('aftersales.configuration')
    FiscalYear = pool.get('account.fiscalyear')
    ModelData = pool.get('ir.model.data')
    create_chart(company)
    fiscalyear = get_fiscalyear(company)
    fiscalyear.save()
    FiscalYear.create_period([fiscalyear])
    AccountType = pool.get('account.account.type')
    expense_type, = AccountType.search([
            ('company', '=', company.id), ('expense', '=', True),
            ], limit=1)
    liability_type, = AccountType.search([
            ('company', '=', company.id), ('statement', '=', 'balance'),
            ('payable', '=', False), ('receivable', '=', False),
            ('stock', '=', False), ('assets', '=', False),
            ], limit=1)
    expense, accrual = Account.create([{
                'company': company.id, 'name': "After-Sales Costs",
                'type': expense_type.id,
                }, {
                'company': company.id, 'name': "After-Sales Cost Accrual",
                'type': liability_type.id,
                }])
    configuration = Configuration(1)
    configuration.cost_journal = ModelData.get_id(
        'account', 'journal_miscellaneous')
    configuration.cost_accrual_account = accrual
    configuration.cost_visit_amount = visit_amount
    for kind, _ in KINDS:
        setattr(configuration, 'cost_%s_account' % kind, expense)
    configuration.save()
    return {'expense': expense, 'accrual': accrual}


def create_period(company, start=START, end=END, name=None):
    Period = Pool().get('aftersales.cost.period')
    period, = Period.create([{
                'company': company.id, 'name': name or str(start),
                'start_date': start, 'end_date': end}])
    return period


def create_visited_period(company, visits):
    """Return the open period of this month of company, set up for the
    accounting, where visits free visits were done"""
    set_up_accounting(company)
    create_visits(company, visits)
    return create_period(company)


def create_freight_line(period, date, amount):
    "Return a freight cost of amount entered by hand in period on date"
    Line = Pool().get('aftersales.cost.line')
    line, = Line.create([{
                'period': period.id, 'company': period.company.id,
                'date': date, 'kind': 'freight', 'amount': amount}])
    return line


def create_return_costs(company):
    """Return a counted return application of one lamp at cost price 4,
    its freight of 30 paid by the company, its line disposed (one unit
    exchanged)"""
    pool = Pool()
    Application = pool.get('aftersales.rma.application')
    ApplicationLine = pool.get('aftersales.rma.application.line')
    Product = pool.get('product.product')
    Shipment = pool.get('stock.shipment.out.return')
    product, = create_products(company, count=1)
    Product.write([product], {'cost_price': Decimal('4')})
    application = create_counted_application(
        company, [product], 1, name="Wuhan Office")
    Application.write([application], {'freight_payer': 'company'})
    Shipment.write([application.return_shipment],
        {'freight_cost': Decimal('30')})
    ApplicationLine.dispose(list(application.lines))
    return application


def create_repair_costs(company):
    """Return a repair order done today at a repair point, its ballast
    replaced in warranty by two parts at cost price 3"""
    pool = Pool()
    Order = pool.get('aftersales.repair.order')
    OrderLine = pool.get('aftersales.repair.order.line')
    Product = pool.get('product.product')
    Template = pool.get('product.template')
    lamp, part = create_products(company, count=2)
    Product.write([part], {'cost_price': Decimal('3')})
    Template.write([lamp.template], {'categories': [('add', [
                        lamp.template.account_category.id])]})
    order = create_order(create_point(company), lamp, TODAY, part=part)
    OrderLine.write(list(order.lines), {'covered': True, 'quantity': 2})
    Order.write([order], {'state': 'done', 'done_date': TODAY})
    return order


def create_settlement_costs(company, party, amount=Decimal('120')):
    "Return a settlement done today paying party compensation of amount"
    Settlement = Pool().get('aftersales.repair.settlement')
    settlement, = Settlement.create([{
                'company': company.id, 'start_date': START,
                'end_date': END, 'date': TODAY,
                'lines': [('create', [{
                                'party': party.id, 'start_date': START,
                                'end_date': END, 'net_sales': 0,
                                'rebate_rate': 0, 'rebate_amount': 0,
                                'repair_count': 3,
                                'compensation_amount': amount}])],
                }])
    Settlement.write([settlement], {'state': 'done'})
    return settlement


def create_visits(company, count, free=True, done_at=NOON):
    "Return count visits done at done_at on service requests"
    pool = Pool()
    Request = pool.get('aftersales.service.request')
    Visit = pool.get('aftersales.service.request.visit')
    requests = create_requests(company, create_party("Wang Fang"), count)
    Request.write(requests, {'free': free})
    return Visit.create([{
                'request': r.id,
                'appointment_start': done_at - dt.timedelta(hours=2),
                'appointment_end': done_at,
                'outcome': 'repaired',
                'done_at': done_at,
                } for r in requests])


class CostTestCase(ActivatedTestCase):
    "The after-sales cost ledger"
    module = 'aftersales_audit'

    @staticmethod
    def split(company, year, granularity):
        "Return {(office name, kind, month): amount} of the split of year"
        Split = Pool().get('aftersales.cost.split')
        with Transaction().set_context(
                company=company.id, from_date=dt.date(year, 1, 1),
                to_date=dt.date(year, 12, 31), granularity=granularity):
            return {(s.office.name, s.kind, s.month): s.amount
                for s in Split.search([])}

    @with_transaction()
    def test_c9_month_gathered_posted_and_locked(self):
        "C9: a month's costs gathered from the other modules and posted, "
        "with the period then locked"
        pool = Pool()
        Line = pool.get('aftersales.cost.line')
        Period = pool.get('aftersales.cost.period')
        with new_company() as company:
            accounts = set_up_accounting(company)
            application = create_return_costs(company)
            order = create_repair_costs(company)
            settlement = create_settlement_costs(company, order.point.party)
            visit, = create_visits(company, 1)
            create_visits(company, 1, free=False)
            create_visits(company, 1, done_at=NOON - dt.timedelta(days=40))
            period = create_period(company)

            Period.gather([period])
            Period.gather([period])

            costs = {(l.kind, str(l.source)): (l.amount, l.office)
                for l in period.lines}
            application_line, = application.lines
            order_line, = order.lines
            settlement_line, = settlement.lines
            self.assertEqual(costs, {
                    ('freight', str(application)): (
                        Decimal('30'), application.sender),
                    ('parts', str(application_line)): (
                        Decimal('4'), application.sender),
                    ('free_parts', str(order_line)): (
                        Decimal('6'), order.point.party),
                    ('compensation', str(settlement_line)): (
                        Decimal('120'), order.point.party),
                    ('labour', str(visit)): (Decimal('25'), None),
                    })
            self.assertEqual(period.total_amount, Decimal('185'))
            fitted, = [l for l in period.lines if l.kind == 'free_parts']
            self.assertEqual(fitted.product, order.product)
            self.assertEqual(fitted.category.name, "Lamps")

            Period.close([period])

            self.assertEqual(period.state, 'closed')
            move = period.move
            self.assertEqual(move.state, 'posted')
            self.assertEqual(move.date, END)
            debits = sorted(l.debit for l in move.lines
                if l.account == accounts['expense'])
            self.assertEqual(debits, [
                    Decimal('4'), Decimal('6'), Decimal('25'),
                    Decimal('30'), Decimal('120')])
            accrual, = [l for l in move.lines
                if l.account == accounts['accrual']]
            self.assertEqual(accrual.credit, Decimal('185'))
            self.assertFalse([l for l in move.lines if l.party])

            line = period.lines[0]
            with self.assertRaises(AccessError):
                Line.write([line], {'amount': Decimal('1')})
            with self.assertRaises(AccessError):
                Line.delete([line])
            with self.assertRaises(AccessError):
                Line.create([{
                            'period': period.id, 'company': company.id,
                            'date': TODAY, 'kind': 'labour',
                            'amount': Decimal('5')}])
            with self.assertRaises(AccessError):
                Period.write([period], {'name': "Changed"})
            with self.assertRaises(AccessError):
                Period.delete([period])
            with self.assertRaises(UserError):
                Period.gather([period])

    @with_transaction()
    def test_a4_audit_costs_never_charged_to_office(self):
        """A4: an audit's actual costs go to the ledger and its move borne by
        customer service, no line naming the office audited"""
        pool = Pool()
        Period = pool.get('aftersales.cost.period')
        Split = pool.get('aftersales.cost.split')
        MoveLine = pool.get('account.move.line')
        Workbook = pool.get('aftersales.report.workbook')
        with new_company() as company:
            accounts = set_up_accounting(company)
            office = create_party(
                "North Branch", aftersales_role='branch_office')
            plan = create_plan(company, office, completion=START,
                report_due=END)
            plan.costs[0].actual = Decimal('2800')
            plan.costs[0].save()
            start_plans([plan])
            report_plan(plan, "The accounts agree.", 90)
            period = create_period(company)

            Period.gather([period])
            Period.close([period])

            line, = period.lines
            self.assertEqual(
                (line.kind, line.source, line.amount, line.office),
                ('audit', plan, Decimal('2800'), None))
            self.assertEqual(
                Split.search([('office', '=', office.id)]), [])
            self.assertEqual(
                MoveLine.search([('party', '=', office.id)]), [])
            debit, = [l for l in period.move.lines
                if l.account == accounts['expense']]
            self.assertEqual(debit.debit, Decimal('2800'))
            self.assertFalse([l for l in period.move.lines if l.party])

            # the workbook's ledger sheet reads as the database
            workbook = Workbook.generate(company, START, END)
            sheet = openpyxl.load_workbook(
                io.BytesIO(workbook.file)).worksheets[0]
            self.assertEqual(sheet.freeze_panes, 'A2')
            self.assertEqual(
                list(sheet.iter_rows(min_row=2, values_only=True)),
                [('', '', line.kind_string,
                        dt.datetime.combine(START, dt.time()),
                        float(line.amount))])

    @with_transaction()
    def test_c9_period_posted_once(self):
        "C9: a period closed by another user is not posted again"
        pool = Pool()
        Move = pool.get('account.move')
        Period = pool.get('aftersales.cost.period')
        with new_company() as company:
            period = create_visited_period(company, 2)
            Period.gather([period])
            # as another user's client read it, before the close
            stale = Period(period.id, state='open')

            Period.close([period])
            with self.assertRaises(UserError):
                Period.close([stale])

            self.assertEqual(len(Move.search([
                            ('origin', '=', str(period))])), 1)

    @with_transaction()
    def test_c9_close_by_finance_only(self):
        "C9: customer service gathers the costs, finance alone closes"
        pool = Pool()
        Period = pool.get('aftersales.cost.period')
        with new_company() as company:
            period = create_visited_period(company, 1)
            user = create_user('cs', 'group_customer_service', company)
            with acting_as(user, company):
                Period.gather([Period(period.id)])
                with self.assertRaises(AccessButtonError):
                    Period.close([Period(period.id)])
            self.assertEqual(len(period.lines), 1)
            self.assertEqual(period.state, 'open')

    @with_transaction()
    def test_c9_gathered_cost_changes_at_source(self):
        "C9: finance changes its own costs, a gathered one only at its source"
        pool = Pool()
        Line = pool.get('aftersales.cost.line')
        Period = pool.get('aftersales.cost.period')
        with new_company() as company:
            period = create_visited_period(company, 1)
            Period.gather([period])
            gathered, = period.lines
            user = create_user('finance', 'group_finance', company)
            with acting_as(user, company):
                manual = create_freight_line(period, TODAY, Decimal('8'))
                Line.write([manual], {'amount': Decimal('9')})
                with self.assertRaises(AccessError):
                    Line.write([Line(gathered.id)], {'amount': Decimal('1')})
                Line.delete([Line(gathered.id)])
            self.assertEqual(period.total_amount, Decimal('9'))

    @with_transaction()
    def test_c9_manual_line_inside_open_period(self):
        "C9: a cost added by hand is dated inside its open period"
        with new_company() as company:
            period = create_period(company)
            line = create_freight_line(period, TODAY, Decimal('12.5'))
            self.assertEqual(line.month, START)
            with self.assertRaises(UserError):
                create_freight_line(
                    period, START - dt.timedelta(days=1), Decimal('1'))

    @with_transaction()
    def test_c9_periods_do_not_overlap(self):
        "C9: two cost periods of a company never share a day"
        with new_company() as company:
            create_period(company)
            with self.assertRaises(UserError):
                create_period(company, start=END, end=END, name="Overlap")
            self.assertTrue(create_period(company,
                    start=END + dt.timedelta(days=1),
                    end=END + dt.timedelta(days=28), name="Next"))

    @with_transaction()
    def test_c9_gather_queries_do_not_grow(self):
        """C9: gathering N costs takes a constant number of queries, besides
        Tryton's one INSERT per line created"""
        pool = Pool()
        Period = pool.get('aftersales.cost.period')
        counts = []
        with new_company() as company:
            set_up_accounting(company)
            # Warm the caches up with a period of no cost
            Period.gather([create_period(company,
                        start=dt.date(TODAY.year - 1, 12, 1),
                        end=dt.date(TODAY.year - 1, 12, 31))])
            for size, month in [(3, 1), (30, 2)]:
                start = dt.date(TODAY.year - 1, month, 1)
                end = start.replace(day=28)
                create_visits(company, size,
                    done_at=dt.datetime.combine(start, dt.time(12)))
                period = create_period(company, start=start, end=end)
                with count_queries() as counter:
                    Period.gather([period])
                counts.append(counter.count)
                self.assertEqual(len(period.lines), size)
        self.assertLessEqual(counts[1] - counts[0], 30 - 3)

    @with_transaction()
    def test_c9_split_per_office_category_month(self):
        "C9: the costs split per office, category and month or quarter"
        pool = Pool()
        Line = pool.get('aftersales.cost.line')
        Split = pool.get('aftersales.cost.split')
        Party = pool.get('party.party')
        Category = pool.get('product.category')
        with new_company() as company:
            wuhan, xiamen = Party.create([
                    {'name': "Wuhan Office"}, {'name': "Xiamen Office"}])
            lamps, = Category.create([{'name': "Lamps"}])
            year = TODAY.year - 1
            costs = [
                (dt.date(year, 1, 5), wuhan, 'freight', '10'),
                (dt.date(year, 1, 25), wuhan, 'freight', '5'),
                (dt.date(year, 2, 3), wuhan, 'freight', '7'),
                (dt.date(year, 1, 9), xiamen, 'labour', '20'),
                ]
            for month in [1, 2]:
                period = create_period(company,
                    start=dt.date(year, month, 1),
                    end=dt.date(year, month, 28), name=str(month))
                Line.create([{
                            'period': period.id, 'company': company.id,
                            'date': d, 'office': o.id, 'kind': k,
                            'category': lamps.id, 'amount': Decimal(a)}
                        for d, o, k, a in costs if d.month == month])
            self.assertEqual(self.split(company, year, 'month'), {
                    ("Wuhan Office", 'freight', dt.date(year, 1, 1)): 15,
                    ("Wuhan Office", 'freight', dt.date(year, 2, 1)): 7,
                    ("Xiamen Office", 'labour', dt.date(year, 1, 1)): 20,
                    })
            self.assertEqual(self.split(company, year, 'quarter'), {
                    ("Wuhan Office", 'freight', dt.date(year, 1, 1)): 22,
                    ("Xiamen Office", 'labour', dt.date(year, 1, 1)): 20,
                    })

            sheet = Split.workbook_sheet(
                company, dt.date(year, 1, 1), dt.date(year, 1, 31))
            # SQLite gives the month as text and the amount as a float
            rows = [(o, c, k, str(m)[:10], Decimal(str(a)))
                for o, c, k, m, a in sheet.rows]
            self.assertEqual(len(sheet.columns), 5)
            january = str(dt.date(year, 1, 1))
            self.assertEqual(rows, [
                    ("Wuhan Office", "Lamps", "Freight", january, 15),
                    ("Xiamen Office", "Lamps", "Labour", january, 20),
                    ])
