"""The months and quarters of the after-sales cost ledger (RULEBOOK C9)

A period gathers the costs dated in it from the other modules, then
finance closes it: its costs are posted on one account move and it never
changes again.
"""
import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.modules.aftersales_warranty.document import (
    CurrencyMixin, DocumentMixin, lock_and_read, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.stamp import step_stamps, stamp_values
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .exceptions import CostError

SQL_IN = fields.SQL_OPERATORS['in']

_open = editable_in('open')


class CostPeriod(
        CurrencyMixin, DocumentMixin, Workflow, ModelSQL, ModelView):
    "After-Sales Cost Period"
    __string__ = "After-Sales Cost Period"
    __name__ = 'aftersales.cost.period'
    _initial_state = 'open'
    _deletable_states = ['open']
    _muted_states = ['closed']

    name = fields.Char("Name", required=True, states=_open)
    start_date = fields.Date(
        "Start Date", required=True, states=_open,
        domain=[('start_date', '<=', Eval('end_date', None))],
        help="The first day of the month or quarter.")
    end_date = fields.Date(
        "End Date", required=True, states=_open,
        domain=[('end_date', '>=', Eval('start_date', None))],
        help="The last day of the month or quarter: the costs are "
        "posted on this day.")
    lines = fields.One2Many(
        'aftersales.cost.line', 'period', "Costs", states=_open,
        help="The costs gathered from the after-sales documents, and "
        "those finance adds by hand.")
    total_amount = fields.Function(
        Monetary("Total", currency='currency', digits='currency'),
        'get_total_amount')
    move = fields.Many2One(
        'account.move', "Account Move", readonly=True,
        domain=[('company', '=', Eval('company', -1))])
    closed_by, closed_at = step_stamps("Closed")
    state = state_field([
            ('open', "Open"),
            ('closed', "Closed"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.company, Index.Range()),
                (t.start_date, Index.Range()), (t.end_date, Index.Range())))
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('open', 'closed')}
        cls._buttons.update(state_buttons(gather=['open'], close=['open']))

    @fields.depends('start_date', 'end_date', 'name')
    def on_change_start_date(self):
        "Propose the month starting on the start date"
        if self.start_date and not self.end_date:
            last = calendar.monthrange(
                self.start_date.year, self.start_date.month)[1]
            self.end_date = self.start_date.replace(day=last)
        if self.start_date and not self.name:
            self.name = self.start_date.strftime('%Y-%m')

    @classmethod
    def get_total_amount(cls, periods, name):
        totals = cls.kind_totals(periods)
        return {p.id: p.company.currency.round(
                sum(totals[p.id].values(), Decimal(0)))
            for p in periods}

    @classmethod
    def kind_totals(cls, periods):
        "Return {period id: {kind: amount}} from one query per slice"
        Line = Pool().get('aftersales.cost.line')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        totals = defaultdict(lambda: defaultdict(Decimal))
        for sub_ids in grouped_slice(
                [p.id for p in periods], backend.MAX_QUERY_PARAMS):
            cursor.execute(*line.select(
                    line.period, line.kind, Sum(line.amount),
                    where=SQL_IN(line.period, sub_ids),
                    group_by=[line.period, line.kind]))
            for period, kind, amount in cursor:
                # SQLite returns the sum of a Numeric column as a float
                totals[period][kind] += Decimal(str(amount or 0))
        return totals

    @classmethod
    def validate_fields(cls, periods, field_names):
        super().validate_fields(periods, field_names)
        if field_names & {'company', 'start_date', 'end_date'}:
            cls.check_overlap(periods)

    @classmethod
    def check_overlap(cls, periods):
        "Two periods of a company never share a day (C9)"
        for period in periods:
            others = cls.search([
                    ('id', '!=', period.id),
                    ('company', '=', period.company.id),
                    ('start_date', '<=', period.end_date),
                    ('end_date', '>=', period.start_date),
                    ], limit=1)
            if others:
                other, = others
                raise CostError(gettext(
                        'aftersales_audit.msg_cost_period_overlap',
                        period=period.rec_name, other=other.rec_name))

    @classmethod
    def check_modification(cls, mode, periods, values=None, external=False):
        "A closed period never changes (C9)"
        super().check_modification(
            mode, periods, values=values, external=external)
        if mode == 'write':
            for period in periods:
                if period.state == 'closed':
                    raise AccessError(gettext(
                            'aftersales_audit.msg_cost_period_closed',
                            period=period.rec_name))

    @classmethod
    def _lock_open(cls, periods):
        """Lock the periods and return them read again, raising when one
        is closed: two users cannot close or gather one period at once"""
        periods = lock_and_read(cls, periods)
        for period in periods:
            if period.state != 'open':
                raise CostError(gettext(
                        'aftersales_audit.msg_cost_period_closed',
                        period=period.rec_name))
        return periods

    @classmethod
    @ModelView.button
    def gather(cls, periods):
        """Add to each period the costs dated in it that no period holds
        yet, from every source in a batch (C9)"""
        Line = Pool().get('aftersales.cost.line')
        periods = cls._lock_open(periods)
        with without_check_access():
            lines = [l for p in periods for l in p.get_cost_lines()]
            Line.save(Line.not_gathered(lines))

    def get_cost_lines(self):
        "Return the lines (unsaved) of every source's costs in the period"
        company = self.company
        lines = []
        for source in self._cost_sources():
            lines.extend(getattr(self, '_get_cost_lines_' + source)(self))
        for line in lines:
            line.period = self
            line.company = company
            line.amount = company.currency.round(line.amount)
            line.on_change_product()
        return [l for l in lines if l.amount]

    @classmethod
    def _cost_sources(cls):
        """The names of the sources of costs: each has its classmethod
        _get_cost_lines_<name>(period) returning the period's lines
        (unsaved) of the source"""
        return [
            'return_freight', 'return_exchange', 'repair_parts',
            'settlement', 'service_visit', 'audit']

    @classmethod
    def _get_cost_lines_return_freight(cls, period):
        "The return freight the company pays, on the arrival date"
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Line = pool.get('aftersales.cost.line')
        applications = Application.search([
                period._dated_domain('company', 'arrival_date'),
                ('freight_payer', '=', 'company'),
                ('return_shipment.freight_cost', '>', 0),
                ])
        return [Line(
                kind='freight', date=a.arrival_date,
                amount=a.return_shipment.freight_cost, office=a.sender,
                source=a, description=a.rec_name)
            for a in applications]

    @classmethod
    def _get_cost_lines_return_exchange(cls, period):
        "The goods given in exchange on return lines, at cost price"
        pool = Pool()
        ApplicationLine = pool.get('aftersales.rma.application.line')
        Line = pool.get('aftersales.cost.line')
        application_lines = ApplicationLine.search([
                period._dated_domain(
                    'application.company', 'disposed_at', instants=True),
                ('disposition_state', '=', 'disposed'),
                ('exchange_quantity', '>', 0),
                ])
        prices = period.cost_prices([l.product for l in application_lines])
        return [Line(
                kind='parts', date=l.disposed_at.date(),
                amount=Decimal(str(l._internal(l.exchange_quantity)))
                * prices.get(l.product.id, 0),
                office=l.application.sender, product=l.product, lot=l.lot,
                source=l, description=l.rec_name)
            for l in application_lines]

    @classmethod
    def _get_cost_lines_repair_parts(cls, period):
        "The parts fitted free in warranty by the repairs done, at cost"
        pool = Pool()
        OrderLine = pool.get('aftersales.repair.order.line')
        Line = pool.get('aftersales.cost.line')
        order_lines = OrderLine.search([
                period._dated_domain('order.company', 'order.done_date'),
                ('order.state', '=', 'done'),
                ('covered', '=', True),
                ('part', '!=', None),
                ])
        prices = period.cost_prices([l.part for l in order_lines])
        return [Line(
                kind='free_parts', date=l.order.done_date,
                amount=Decimal(str(l.quantity)) * prices.get(l.part.id, 0),
                office=l.order.point.party, product=l.order.product,
                lot=l.order.lot, source=l,
                description='%s × %s' % (l.quantity, l.part.rec_name))
            for l in order_lines]

    @classmethod
    def _get_cost_lines_settlement(cls, period):
        "The repair-fee compensation of the done settlements (N3)"
        pool = Pool()
        SettlementLine = pool.get('aftersales.repair.settlement.line')
        Line = pool.get('aftersales.cost.line')
        settlement_lines = SettlementLine.search([
                period._dated_domain(
                    'settlement.company', 'settlement.date'),
                ('settlement.state', '=', 'done'),
                ('compensation_amount', '>', 0),
                ])
        return [Line(
                kind='compensation', date=l.settlement.date,
                amount=l.compensation_amount, office=l.party, source=l,
                description=l.rec_name)
            for l in settlement_lines]

    @classmethod
    def _get_cost_lines_service_visit(cls, period):
        """The labour of the visits done on service requests free in
        warranty, at the configured cost of a visit"""
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        Visit = pool.get('aftersales.service.request.visit')
        Line = pool.get('aftersales.cost.line')
        amount = Configuration.company_value(
            'cost_visit_amount', period.company)
        if not amount:
            return []
        visits = Visit.search([
                period._dated_domain(
                    'request.company', 'done_at', instants=True),
                ('request.free', '=', True),
                ('outcome', '!=', None),
                ])
        return [Line(
                kind='labour', date=v.done_at.date(), amount=amount,
                office=v.request.point.party if v.request.point else None,
                product=v.request.product, lot=v.request.lot, source=v,
                description=v.request.rec_name)
            for v in visits]

    @classmethod
    def _get_cost_lines_audit(cls, period):
        """The actual costs of the audits completed in the period: borne by
        customer service, never charged to the office audited (A4)"""
        pool = Pool()
        Plan = pool.get('aftersales.audit.plan')
        Line = pool.get('aftersales.cost.line')
        plans = Plan.search([
                period._dated_domain('company', 'completion_date'),
                ('state', 'in', ['reported', 'closed']),
                ])
        return [Line(
                kind='audit', date=p.completion_date, amount=p.actual_total,
                office=None, source=p, description=p.rec_name)
            for p in plans]

    def _dated_domain(self, company, date, instants=False):
        """Return the domain of the records of the period's company,
        through the field path company, dated in the period by the field
        path date: a date, or a timestamp when instants"""
        if instants:
            start = dt.datetime.combine(self.start_date, dt.time())
            end = dt.datetime.combine(
                self.end_date + dt.timedelta(days=1), dt.time())
            dated = [(date, '>=', start), (date, '<', end)]
        else:
            dated = [
                (date, '>=', self.start_date), (date, '<=', self.end_date)]
        return [(company, '=', self.company.id)] + dated

    def cost_prices(self, products):
        """Return {product id: cost price} of the company's products, from
        one query per slice"""
        CostPrice = Pool().get('product.cost_price')
        cost_price = CostPrice.__table__()
        cursor = Transaction().connection.cursor()
        prices = {}
        for sub_ids in grouped_slice(
                list({p.id for p in products}), backend.MAX_QUERY_PARAMS):
            cursor.execute(*cost_price.select(
                    cost_price.product, cost_price.cost_price,
                    where=SQL_IN(cost_price.product, sub_ids)
                    & (cost_price.company == self.company.id)))
            for product, price in cursor:
                prices[product] = Decimal(str(price or 0))
        return prices

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, periods):
        """Post the periods' costs on one account move each, then close
        them for good (C9)

        The periods are locked and read again first, so two finance users
        closing one period at once cannot post it twice.
        """
        Move = Pool().get('account.move')
        periods = cls._lock_open(periods)
        moves = {p: p._get_move() for p in periods}
        Move.save([m for m in moves.values() if m])
        Move.post([m for m in moves.values() if m])
        for period, move in moves.items():
            period.move = move
            for name, value in stamp_values(cls, 'closed').items():
                setattr(period, name, value)
        cls.save(periods)

    def _get_move(self):
        "Return the account move (unsaved) posting the costs, none if naught"
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        Move = pool.get('account.move')
        AccountPeriod = pool.get('account.period')
        lines = self._get_move_lines()
        if not lines:
            return None
        journal = Configuration.company_value('cost_journal', self.company)
        if not journal:
            raise CostError(gettext(
                    'aftersales_audit.msg_cost_no_journal',
                    period=self.rec_name))
        return Move(
            company=self.company, journal=journal, date=self.end_date,
            period=AccountPeriod.find(self.company, date=self.end_date),
            origin=self, description=self.name, lines=lines)

    def _get_move_lines(self):
        """Return the move lines (unsaved): one debit per kind of cost to
        its expense account, one credit of the total to the accrual
        account; no party, the offices are never charged (A4)"""
        pool = Pool()
        Configuration = pool.get('aftersales.configuration')
        Line = pool.get('aftersales.cost.line')
        kinds = dict(Line.fields_get(['kind'])['kind']['selection'])
        totals = self.kind_totals([self])[self.id]
        lines = []
        for kind, amount in sorted(totals.items()):
            if not amount:
                continue
            account = Configuration.cost_account(kind, self.company)
            if not account:
                raise CostError(gettext(
                        'aftersales_audit.msg_cost_no_account',
                        period=self.rec_name, kind=kinds[kind]))
            lines.append(self._get_move_line(account, amount, kinds[kind]))
        total = sum(totals.values(), Decimal(0))
        if not total:
            return lines
        account = Configuration.company_value(
            'cost_accrual_account', self.company)
        if not account:
            raise CostError(gettext(
                    'aftersales_audit.msg_cost_no_accrual_account',
                    period=self.rec_name))
        lines.append(self._get_move_line(account, -total, self.name))
        return lines

    def _get_move_line(self, account, amount, description):
        "Return a move line (unsaved) debiting amount, crediting if negative"
        MoveLine = Pool().get('account.move.line')
        amount = self.company.currency.round(amount)
        return MoveLine(
            account=account, description=description,
            debit=max(amount, Decimal(0)), credit=max(-amount, Decimal(0)))


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['aftersales.cost.period']
