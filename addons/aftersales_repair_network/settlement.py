"The periodic settlement of rebates and repair-fee compensation"
from collections import defaultdict
from decimal import Decimal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.tools import grouped_slice
from trytond.modules.aftersales_warranty.document import (
    CurrencyMixin, DatedDocumentMixin, lock_and_read, owner_field,
    search_rec_name_in, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.aftersales_warranty.stamp import stamp

from .exceptions import SettlementError, SettlementOpenPeriodWarning

_draft = editable_in('draft')


class Settlement(CurrencyMixin, DatedDocumentMixin, NumberedMixin, Workflow,
        ModelSQL, ModelView):
    """Pays each party's rebate and its repair points' compensation of a
    period together: one credit note per party and period."""
    __string__ = "Rebate and Compensation Settlement"
    __name__ = 'aftersales.repair.settlement'
    _number_sequence = 'repair_settlement_sequence'
    _copy_reset = [
        'lines', 'skipped', 'settled_by', 'settled_at', 'settled_early',
        'queued']

    start_date = fields.Date(
        "Start Date", required=True, states=_draft,
        domain=[('start_date', '<=', Eval('end_date', None))])
    end_date = fields.Date(
        "End Date", required=True, states=_draft,
        domain=[('end_date', '>=', Eval('start_date', None))])
    date = fields.Date(
        "Credit Note Date", required=True, states=_draft)
    lines = fields.One2Many(
        'aftersales.repair.settlement.line', 'settlement', "Lines",
        readonly=True)
    skipped = fields.One2Many(
        'aftersales.repair.settlement.skipped', 'settlement',
        "Parties Left Out", readonly=True,
        help="The parties that another settlement already pays for "
        "the period.")
    settled_by = fields.Many2One('res.user', "Settled By", readonly=True)
    settled_at = fields.Timestamp("Settled At", readonly=True)
    settled_early = fields.Boolean(
        "Settled Before Period End", readonly=True,
        help="The user who settled confirmed settling a period that had "
        "not ended.")
    total_amount = fields.Function(
        Monetary("Total", currency='currency', digits='currency'),
        'get_total_amount')
    state = state_field([
            ('draft', "Draft"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ])
    queued = fields.Selection([
            (None, ""),
            ('compute', "Computing"),
            ('settle', "Settling"),
            ], "Queued Work", readonly=True,
        help="The work waiting in the queue or under way: the lines, or "
        "the credit notes, show when it is done.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'done'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update(state_buttons(
                queue_compute=['draft'], queue_settle=['draft'],
                cancel=['draft'], draft=['cancelled']))
        for button in ['queue_compute', 'queue_settle']:
            cls._buttons[button]['invisible'] |= Bool(Eval('queued'))
            cls._buttons[button]['depends'] = ['state', 'queued']

    @classmethod
    def default_settled_early(cls):
        return False

    @classmethod
    def get_total_amount(cls, settlements, name):
        return {s.id: sum((l.total_amount for l in s.lines), Decimal(0))
            for s in settlements}

    @classmethod
    @ModelView.button
    def queue_compute(cls, settlements):
        """Queue the computation of the settlements: the lines show when
        the queue has run it"""
        cls._queue(settlements, 'compute')

    @classmethod
    @ModelView.button
    def queue_settle(cls, settlements):
        """Check the settlements can be settled, asking to confirm an open
        period, then queue their settlement"""
        Line = Pool().get('aftersales.repair.settlement.line')
        for settlement in settlements:
            settlement.check_lines()
        Line.check_unsettled([l for s in settlements for l in s.lines])
        cls.check_period_ended(settlements)
        cls._queue(settlements, 'settle')

    @classmethod
    def _queue(cls, settlements, work):
        "Mark the settlements queued for work and queue it"
        cls.write(settlements, {'queued': work})
        cls.__queue__.run_queued(settlements, work)

    @classmethod
    def run_queued(cls, settlements, work):
        """Do work (compute or settle) on the settlements still queued for
        it; the queue calls it"""
        settlements = [s for s in settlements
            if s.state == 'draft' and s.queued == work]
        if settlements:
            getattr(cls, work)(settlements)
            cls.write(settlements, {'queued': None})

    @classmethod
    def compute(cls, settlements):
        """Compute each party's rebate and compensation of the period

        A party already settled for an overlapping period by another
        settlement is left out, and listed with the settlement that pays
        it: nothing is paid twice.

        The settlements are locked and their state read again, so that
        lines are never computed again while another user settles them.
        """
        pool = Pool()
        Line = pool.get('aftersales.repair.settlement.line')
        Skipped = pool.get('aftersales.repair.settlement.skipped')
        settlements = lock_and_read(cls, settlements)
        for settlement in settlements:
            if settlement.state != 'draft':
                raise SettlementError(gettext(
                        'aftersales_repair_network.msg_settlement_not_draft',
                        settlement=settlement.rec_name))
        cls._clear(settlements)
        lines, skipped = [], []
        for settlement in settlements:
            settlement_lines, settlement_skipped = settlement.get_lines()
            lines.extend(settlement_lines)
            skipped.extend(settlement_skipped)
        Line.save(lines)
        Skipped.save(skipped)

    def get_lines(self):
        """Return the lines (unsaved) of the parties to pay and those
        (unsaved) of the parties left out"""
        pool = Pool()
        Rebate = pool.get('aftersales.repair.rebate')
        Compensation = pool.get('aftersales.repair.compensation')
        Line = pool.get('aftersales.repair.settlement.line')
        Skipped = pool.get('aftersales.repair.settlement.skipped')
        currency = self.company.currency
        rebates = {r.party: r for r in Rebate.of_period(
                self.company, self.start_date, self.end_date)}
        schemes = defaultdict(list)
        for scheme in Compensation.of_period(
                self.company, self.start_date, self.end_date):
            schemes[scheme.point.party].append(scheme)
        parties = set(rebates) | set(schemes)
        settled = Line.settled(parties, self.start_date, self.end_date)
        parties -= set(settled)
        skipped = [Skipped(settlement=self, party=p, line=l)
            for p, l in sorted(settled.items(), key=lambda i: i[0].id)]
        sales = Rebate.net_sales(
            self.company, parties, self.start_date, self.end_date)
        repairs = Compensation.free_repairs(
            [s.point for p in parties for s in schemes[p]],
            self.start_date, self.end_date)
        lines = []
        for party in sorted(parties, key=lambda p: p.id):
            line = Line(
                settlement=self, party=party, start_date=self.start_date,
                end_date=self.end_date, net_sales=sales[party.id],
                rebate_rate=0, rebate_amount=0, repair_count=0,
                compensation_amount=0)
            rebate = rebates.get(party)
            if rebate:
                line.rebate = rebate
                line.rebate_rate = rebate.rate_for(line.net_sales)
                line.rebate_amount = currency.round(
                    line.net_sales * line.rebate_rate)
            for scheme in schemes[party]:
                count = repairs[scheme.point.id]
                line.repair_count += count
                line.compensation_amount += scheme.amount(count)
            line.compensation_amount = currency.round(
                line.compensation_amount)
            if line.rebate_amount > 0 or line.compensation_amount > 0:
                lines.append(line)
        return lines, skipped

    @classmethod
    @Workflow.transition('done')
    @stamp('settled')
    def settle(cls, settlements):
        """Credit each party its rebate and compensation on one credit note
        (N3): the credit notes are posted by finance

        The settlements are locked first: their lines are those no other
        user is computing again.
        """
        pool = Pool()
        Line = pool.get('aftersales.repair.settlement.line')
        Invoice = pool.get('account.invoice')
        Configuration = pool.get('aftersales.configuration')
        cls.lock(settlements)
        configuration = Configuration(1)
        for settlement in settlements:
            settlement.check_lines()
        lines = [l for s in settlements for l in s.lines]
        Line.check_unsettled(lines)
        early = cls.check_period_ended(settlements)
        journal = Invoice._get_revenue_journal()
        invoices = [l._get_invoice(configuration, journal) for l in lines]
        # trytond validates the addresses and lines of a batch with one OR
        # term per credit note (their domains name its party): SQLite takes
        # about as many nested terms as trytond sends it parameters
        # (MAX_QUERY_PARAMS), PostgreSQL all at once
        for batch in grouped_slice(invoices, backend.MAX_QUERY_PARAMS):
            Invoice.save(list(batch))
        if early:
            cls.write(early, {'settled_early': True})

    def check_lines(self):
        "Raise when the settlement pays nothing, saying why"
        if self.lines:
            return
        if self.skipped:
            raise SettlementError(gettext(
                    'aftersales_repair_network.msg_settlement_all_settled',
                    settlement=self.rec_name,
                    parties=', '.join(k.explanation for k in self.skipped)))
        raise SettlementError(gettext(
                'aftersales_repair_network.msg_settlement_no_lines',
                settlement=self.rec_name))

    @classmethod
    def check_period_ended(cls, settlements):
        """Ask to confirm settling periods that have not ended

        Return the settlements settled before the end of their period.
        """
        pool = Pool()
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')
        Warning = pool.get('res.user.warning')
        today = Date.today()
        early = [s for s in settlements if s.end_date >= today]
        if early:
            key = Warning.format('settle_open_period', early)
            if Warning.check(key):
                lang = Lang.get()
                raise SettlementOpenPeriodWarning(key, gettext(
                        'aftersales_repair_network.msg_settlement_open_period',
                        settlements=', '.join(s.rec_name for s in early),
                        end_date=lang.strftime(
                            min(s.end_date for s in early))))
        return early

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, settlements):
        cls._clear(settlements)
        cls.write(settlements, {'queued': None})

    @classmethod
    def _clear(cls, settlements):
        "Delete the lines and the parties left out of the settlements"
        pool = Pool()
        Line = pool.get('aftersales.repair.settlement.line')
        Skipped = pool.get('aftersales.repair.settlement.skipped')
        Line.delete([l for s in settlements for l in s.lines])
        Skipped.delete([k for s in settlements for k in s.skipped])

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, settlements):
        pass


class SettlementLine(ModelSQL, ModelView):
    __string__ = "Rebate and Compensation Settlement Line"
    __name__ = 'aftersales.repair.settlement.line'

    settlement = owner_field(
        'aftersales.repair.settlement', "Settlement", readonly=True)
    party = party_field("Party", required=True, readonly=True)
    start_date = fields.Date("Start Date", required=True, readonly=True)
    end_date = fields.Date("End Date", required=True, readonly=True)
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"),
        'on_change_with_currency')
    rebate = fields.Many2One(
        'aftersales.repair.rebate', "Rebate Agreement", readonly=True)
    net_sales = Monetary(
        "Net Sales", currency='currency', digits='currency', required=True,
        readonly=True)
    rebate_rate = fields.Numeric(
        "Rebate Rate", digits=(4, 4), required=True, readonly=True)
    rebate_amount = Monetary(
        "Rebate", currency='currency', digits='currency', required=True,
        readonly=True)
    repair_count = fields.Integer(
        "Repairs in Warranty", required=True, readonly=True)
    compensation_amount = Monetary(
        "Compensation", currency='currency', digits='currency',
        required=True, readonly=True)
    total_amount = fields.Function(
        Monetary("Total", currency='currency', digits='currency'),
        'on_change_with_total_amount')
    invoice = fields.Function(
        fields.Many2One('account.invoice', "Credit Note"), 'get_invoice')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('settlement')
        t = cls.__table__()
        cls._sql_constraints += [
            ('party_period_unique',
                Unique(t, t.party, t.start_date, t.end_date),
                'aftersales_repair_network.msg_settlement_line_unique'),
            ]
        cls._sql_indexes.add(
            Index(t, (t.party, Index.Range()), (t.start_date, Index.Range()),
                (t.end_date, Index.Range())))
        cls._order.insert(0, ('party', 'ASC'))

    @fields.depends('settlement', '_parent_settlement.company')
    def on_change_with_company(self, name=None):
        return self.settlement.company if self.settlement else None

    @fields.depends(methods=['on_change_with_company'])
    def on_change_with_currency(self, name=None):
        company = self.on_change_with_company()
        return company.currency if company else None

    @fields.depends('rebate_amount', 'compensation_amount')
    def on_change_with_total_amount(self, name=None):
        return (self.rebate_amount or 0) + (self.compensation_amount or 0)

    def get_rec_name(self, name):
        return f'{self.settlement.rec_name} {self.party.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return search_rec_name_in(
            clause, 'settlement.rec_name', 'party.rec_name')

    @classmethod
    def _overlapping(cls, parties, start_date, end_date):
        return [
            ('settlement.state', '!=', 'cancelled'),
            ('party', 'in', [p.id for p in parties]),
            ('start_date', '<=', end_date),
            ('end_date', '>=', start_date),
            ]

    @classmethod
    def settled(cls, parties, start_date, end_date):
        """Return {party: line} of the parties already on a settlement
        overlapping the period"""
        return {l.party: l for l in cls.search(
                cls._overlapping(parties, start_date, end_date))}

    @classmethod
    def check_unsettled(cls, lines):
        "Raise when a party is paid twice for overlapping periods (N3)"
        by_period = defaultdict(list)
        for line in lines:
            by_period[line.start_date, line.end_date].append(line)
        for (start_date, end_date), period_lines in by_period.items():
            others = cls.search(
                cls._overlapping(
                    [l.party for l in period_lines], start_date, end_date)
                + [('id', 'not in', [l.id for l in period_lines])],
                limit=1)
            if others:
                other, = others
                lang = Pool().get('ir.lang').get()
                raise SettlementError(gettext(
                        'aftersales_repair_network.msg_settlement_twice',
                        party=other.party.rec_name,
                        settlement=other.settlement.rec_name,
                        start_date=lang.strftime(other.start_date),
                        end_date=lang.strftime(other.end_date),
                        date=lang.strftime(other.settlement.date)))

    @classmethod
    def get_invoice(cls, lines, name):
        InvoiceLine = Pool().get('account.invoice.line')
        return InvoiceLine._get_origin_invoices(lines)

    def _get_invoice(self, configuration, journal):
        "Return the credit note (unsaved) paying the line (N3)"
        Invoice = Pool().get('account.invoice')
        settlement = self.settlement
        description = gettext(
            'aftersales_repair_network.msg_settlement_description',
            settlement=settlement.rec_name, start_date=self.start_date,
            end_date=self.end_date)
        invoice = Invoice._get_aftersales_invoice(
            settlement.company, self.party, settlement.date, description,
            journal)
        for amount, product, message in [
                (self.rebate_amount, configuration.rebate_product,
                    'msg_settlement_rebate'),
                (self.compensation_amount,
                    configuration.compensation_product,
                    'msg_settlement_compensation'),
                ]:
            if not amount:
                continue
            if not product:
                raise SettlementError(gettext(
                        'aftersales_repair_network.msg_settlement_no_product'))
            self._get_invoice_line(invoice, product, amount, message)
        return invoice

    def _get_invoice_line(self, invoice, product, amount, message):
        "Add to invoice the line crediting amount of product"
        InvoiceLine = Pool().get('account.invoice.line')
        return InvoiceLine._get_aftersales_line(
            invoice, product, -1, amount,
            gettext(f'aftersales_repair_network.{message}',
                start_date=self.start_date, end_date=self.end_date),
            self)


class SettlementSkipped(ModelSQL, ModelView):
    "A party left out of a settlement because another one already pays it"
    __string__ = "Party Left Out of a Settlement"
    __name__ = 'aftersales.repair.settlement.skipped'

    settlement = owner_field(
        'aftersales.repair.settlement', "Settlement", readonly=True)
    party = fields.Many2One(
        'party.party', "Party", required=True, readonly=True)
    line = owner_field(
        'aftersales.repair.settlement.line', "Settled By", readonly=True,
        help="The line of the other settlement that pays the party.")
    other_settlement = fields.Function(
        fields.Many2One('aftersales.repair.settlement', "Other Settlement"),
        'get_line_field')
    start_date = fields.Function(
        fields.Date("Start Date"), 'get_line_field')
    end_date = fields.Function(fields.Date("End Date"), 'get_line_field')
    settled_at = fields.Function(
        fields.Timestamp("Settled At"), 'get_settled_at')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('settlement')
        cls._order.insert(0, ('party', 'ASC'))

    def get_line_field(self, name):
        if name == 'other_settlement':
            return self.line.settlement.id
        return getattr(self.line, name)

    def get_settled_at(self, name):
        return self.line.settlement.settled_at

    @property
    def explanation(self):
        "Party, period and settlement that pays it, in the user's language"
        lang = Pool().get('ir.lang').get()
        settlement = self.line.settlement
        return gettext(
            'aftersales_repair_network.msg_settlement_skipped',
            party=self.party.rec_name,
            start_date=lang.strftime(self.line.start_date),
            end_date=lang.strftime(self.line.end_date),
            settlement=settlement.rec_name,
            date=lang.strftime(settlement.date))
