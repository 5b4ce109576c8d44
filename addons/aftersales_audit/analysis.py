"""The periodic analysis reported to management (C10)

Each report is computed by the database from the documents of the other
modules, for the company and the dates of the context.
"""
import datetime as dt

from sql import Literal, Null, Union
from sql.aggregate import Min, Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Extract
from sql.operators import Concat, Exists

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.aftersales_warranty.document import CompanyMixin
from trytond.modules.aftersales_service.monthly import MonthlyMixin, ratio
from trytond.modules.aftersales_warranty.party import OFFICE_ROLES
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .sheet import Chart, dated_where, model_sheet

# The return applications the office stands by: signed off and sent on
RETURNED_STATES = ['submitted', 'approved', 'shipped', 'arrived', 'counted',
    'done']
SECONDS_A_DAY = 24 * 60 * 60.0


class AnalysisContext(CompanyMixin, ModelView):
    __string__ = "Analysis Context"
    __name__ = 'aftersales.analysis.context'

    from_date = fields.Date("From Date")
    to_date = fields.Date("To Date")

    @classmethod
    def default_from_date(cls):
        "The first day of the year"
        return Pool().get('ir.date').today().replace(month=1, day=1)


def _days(start, end):
    "Return the SQL number of days from the date start to the date end"
    return (Extract('EPOCH', end) - Extract('EPOCH', start)) / SECONDS_A_DAY


def _template_join(from_item, product):
    "Return from_item joined to the product and its template, and the template"
    pool = Pool()
    Product = pool.get('product.product')
    Template = pool.get('product.template')
    product_ = Product.__table__()
    template = Template.__table__()
    from_item = (from_item
        .join(product_, condition=product == product_.id)
        .join(template, condition=product_.template == template.id))
    return from_item, template


def _default_unit_quantity(from_item, quantity, unit, product):
    """Return from_item joined to the units and the SQL quantity in the
    default unit of product"""
    Uom = Pool().get('product.uom')
    uom = Uom.__table__()
    default_uom = Uom.__table__()
    from_item, template = _template_join(
        from_item.join(uom, condition=unit == uom.id), product)
    from_item = from_item.join(
        default_uom, condition=template.default_uom == default_uom.id)
    return from_item, quantity * uom.factor / default_uom.factor


class AnalysisMixin(MonthlyMixin):
    """A monthly analysis of the context's company between its dates

    The figures of the sheet of the management workbook are read with one
    query of the same table_query.
    """
    __slots__ = ()

    @classmethod
    def _where(cls, company, date):
        "Return the SQL condition on the context's company and dates"
        context = Transaction().context
        return dated_where(company, date, context.get('company') or -1,
            context.get('from_date'), context.get('to_date'))

    @classmethod
    def _returned_lines(cls):
        """Return the lines of the returns the offices stand by: the join of
        the lines to their application and units, the line and application
        tables, the SQL quantity in the product's default unit and the
        condition on the state and on the context's company and dates"""
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Line = pool.get('aftersales.rma.application.line')
        line = Line.__table__()
        application = Application.__table__()
        from_item, quantity = _default_unit_quantity(
            line.join(application,
                condition=line.application == application.id),
            line.quantity, line.unit, line.product)
        where = (application.state.in_(RETURNED_STATES)
            & cls._where(application.company, application.date))
        return from_item, line, application, quantity, where

    @classmethod
    def workbook_sheet(cls, company, start, end):
        "Return the sheet of the company's figures from start to end"
        names = ['month'] + cls._sheet_fields()
        with Transaction().set_context(
                company=company.id, from_date=start, to_date=end):
            query = cls._sheet_query(cls.table_query())
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        rows = ((dt.date(int(year), int(month), 1), *values)
            for year, month, *values in cursor)
        return model_sheet(cls, [(n, cls._sheet_kind(n)) for n in names],
            rows, cls._sheet_chart())

    @classmethod
    def _sheet_kind(cls, name):
        "Return the workbook kind of the column of field name"
        field = cls._fields[name]
        if name == 'month':
            return 'date'
        elif name.endswith('rate'):
            return 'percent'
        return {
            'integer': 'integer',
            'float': 'number',
            }.get(field._type, 'char')

    @classmethod
    def _sheet_fields(cls):
        "Return the names of the fields after the month on the sheet"
        raise NotImplementedError

    @classmethod
    def _sheet_query(cls, query):
        """Return the query of the sheet's rows from the table query:
        year, month then the values of _sheet_fields"""
        raise NotImplementedError

    @classmethod
    def _sheet_chart(cls):
        return None


def _office_join(from_item, party):
    """Return from_item joined to the parties and the SQL office answering
    for party: itself, or the first office up its dealer chain (W7)"""
    Party = Pool().get('party.party')
    # a sub-distributor answers to a store, which answers to an office
    chain = [Party.__table__() for _ in range(3)]
    from_item = from_item.join(chain[0], condition=party == chain[0].id)
    for dealer, upstream in zip(chain, chain[1:]):
        from_item = from_item.join(upstream, 'LEFT',
            condition=dealer.upstream == upstream.id)
    office = Case(*((p.aftersales_role.in_(OFFICE_ROLES), p.id)
            for p in chain), else_=Null)
    return from_item, office


def _name_join(from_item, key, Model, name='name'):
    "Return from_item left joined to Model on key and the SQL name column"
    table = Model.__table__()
    return (from_item.join(table, 'LEFT', condition=key == table.id),
        getattr(table, name))


class Failure(AnalysisMixin, ModelSQL, ModelView):
    """Failure Analysis

    Per month, cause, product and lot: the faulty goods returned by the
    offices and the faulty components repaired at the repair points.
    """
    __string__ = "Failure Analysis"
    __name__ = 'aftersales.analysis.failure'
    _monthly_key = 'cause'

    cause = fields.Many2One(
        'aftersales.warranty.cause', "Failure Type", readonly=True)
    product = fields.Many2One(
        'product.product', "Product", readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    lot = fields.Many2One('stock.lot', "Lot", readonly=True)
    reports = fields.Integer(
        "Cases", readonly=True,
        help="The number of return lines and repaired components.")
    quantity = fields.Float(
        "Quantity", digits=(16, 2), readonly=True,
        help="The quantity returned or repaired, in the product's unit.")

    @classmethod
    def table_query(cls):
        rows = Union(cls._return_query(), cls._repair_query(), all_=True)
        key = [rows.company, rows.cause, rows.product, rows.lot, rows.year,
            rows.month]
        return rows.select(
            Min(rows.id).as_('id'), *key,
            Sum(rows.reports).as_('reports'),
            cls.quantity.sql_cast(Sum(rows.quantity)).as_('quantity'),
            group_by=key)

    @classmethod
    def _return_query(cls):
        "One row per line of the returns the offices stand by"
        from_item, line, application, quantity, where = (
            cls._returned_lines())
        return from_item.select(
            (line.id * 2).as_('id'),
            application.company.as_('company'),
            line.cause.as_('cause'),
            line.product.as_('product'),
            line.lot.as_('lot'),
            *cls._month(application.date),
            Literal(1).as_('reports'),
            quantity.as_('quantity'),
            where=where)

    @classmethod
    def _repair_query(cls):
        "One row per faulty component of the diagnosed repairs"
        pool = Pool()
        Order = pool.get('aftersales.repair.order')
        Line = pool.get('aftersales.repair.order.line')
        line = Line.__table__()
        order = Order.__table__()
        return line.join(order, condition=line.order == order.id).select(
            (line.id * 2 + 1).as_('id'),
            order.company.as_('company'),
            line.cause.as_('cause'),
            order.product.as_('product'),
            order.lot.as_('lot'),
            *cls._month(order.date),
            Literal(1).as_('reports'),
            Literal(1.0).as_('quantity'),
            where=~order.state.in_(['draft', 'cancelled'])
            & cls._where(order.company, order.date))

    @classmethod
    def _sheet_fields(cls):
        return ['cause', 'product', 'lot', 'reports', 'quantity']

    @classmethod
    def _sheet_query(cls, query):
        pool = Pool()
        Lot = pool.get('stock.lot')
        Cause = pool.get('aftersales.warranty.cause')
        from_item, cause = _name_join(query, query.cause, Cause)
        from_item, lot = _name_join(from_item, query.lot, Lot, 'number')
        from_item, template = _template_join(from_item, query.product)
        return from_item.select(
            query.year, query.month, cause, template.name, lot,
            query.reports, query.quantity,
            order_by=[query.year, query.month, cause, template.name, lot])

    @classmethod
    def _sheet_chart(cls):
        return Chart('column', 1, [4])


class ComplaintHotSpot(AnalysisMixin, ModelSQL, ModelView):
    """Complaint Hot Spots

    Per month and region of the caller or customer: the complaints that
    were not judged unfounded.
    """
    __string__ = "Complaint Hot Spots"
    __name__ = 'aftersales.analysis.complaint'
    _monthly_key = 'region'

    region = fields.Many2One('country.subdivision', "Region", readonly=True)
    complaints = fields.Integer("Complaints", readonly=True)
    product_quality = fields.Integer(
        "Product-Quality Complaints", readonly=True)
    service_quality = fields.Integer(
        "Service-Quality Complaints", readonly=True)

    @classmethod
    def table_query(cls):
        pool = Pool()
        Address = pool.get('party.address')
        Call = pool.get('aftersales.service.call')
        Complaint = pool.get('sale.complaint')
        complaint = Complaint.__table__()
        call = Call.__table__()
        address = Address.__table__()
        first = Address.__table__()
        # The customer's first address, as party.address_get gives
        first_address = first.select(
            first.party, Min(first.id).as_('address'),
            where=first.active, group_by=[first.party])
        region = Coalesce(call.subdivision, address.subdivision)

        def count(class_):
            return Sum(Case((complaint.complaint_class == class_, 1),
                    else_=0))
        return (complaint
            .join(call, 'LEFT', condition=complaint.call == call.id)
            .join(first_address, 'LEFT',
                condition=first_address.party == complaint.customer)
            .join(address, 'LEFT',
                condition=first_address.address == address.id)
            .select(
                Min(complaint.id).as_('id'),
                complaint.company.as_('company'),
                region.as_('region'),
                *cls._month(complaint.date),
                Sum(Literal(1)).as_('complaints'),
                count('product').as_('product_quality'),
                count('service').as_('service_quality'),
                where=(complaint.state != 'cancelled')
                & (Coalesce(complaint.validity, '') != 'invalid')
                & cls._where(complaint.company, complaint.date),
                group_by=[complaint.company, region,
                    *cls._month_key(complaint.date)]))

    @classmethod
    def _sheet_fields(cls):
        return ['region', 'complaints', 'product_quality', 'service_quality']

    @classmethod
    def _sheet_query(cls, query):
        Subdivision = Pool().get('country.subdivision')
        from_item, region = _name_join(query, query.region, Subdivision)
        return from_item.select(
            query.year, query.month, region, query.complaints,
            query.product_quality, query.service_quality,
            order_by=[query.year, query.month, query.complaints.desc,
                region])

    @classmethod
    def _sheet_chart(cls):
        return Chart('column', 1, [2])


class Repair(AnalysisMixin, ModelSQL, ModelView):
    """Repair Speed and Quality

    Per month of closing and repair point: the repairs done, their days
    from arrival to closing and the repeat repairs, those of a unit
    repaired before within the configured number of days.
    """
    __string__ = "Repair Speed and Quality"
    __name__ = 'aftersales.analysis.repair'
    _monthly_key = 'point'

    point = fields.Many2One(
        'aftersales.repair.point', "Repair Point", readonly=True)
    office = party_field("Office", readonly=True)
    repairs = fields.Integer("Repairs", readonly=True)
    days = fields.Float("Total Days", readonly=True)
    average_days = fields.Function(
        fields.Float(
            "Average Days", digits=(16, 1),
            help="The average number of days from the unit's arrival to the "
            "order's closing."),
        'get_average_days')
    repeats = fields.Integer(
        "Repeat Repairs", readonly=True,
        help="The repairs of units already repaired within the configured "
        "number of days.")
    repeat_rate = fields.Function(
        fields.Float("Repeat Rate", digits=(1, 4)), 'get_repeat_rate')

    @classmethod
    def table_query(cls):
        pool = Pool()
        Order = pool.get('aftersales.repair.order')
        Point = pool.get('aftersales.repair.point')
        order = Order.__table__()
        point = Point.__table__()
        key = [order.company, order.point, point.office]
        return (order
            .join(point, condition=order.point == point.id)
            .select(
                Min(order.id).as_('id'), *key, *cls._month(order.done_date),
                Sum(Literal(1)).as_('repairs'),
                cls.days.sql_cast(
                    Sum(_days(order.date, order.done_date))).as_('days'),
                Sum(Case((cls._repeat(order), 1), else_=0)).as_('repeats'),
                where=(order.state == 'done')
                & cls._where(order.company, order.done_date),
                group_by=key + cls._month_key(order.done_date)))

    @classmethod
    def _repeat(cls, order):
        """Return the SQL condition that the unit of order was repaired
        within the repeat days before it arrived (C10)

        A unit is its warranty registration, or the customer's product of
        the lot when it has none.
        """
        pool = Pool()
        Company = pool.get('company.company')
        Configuration = pool.get('aftersales.configuration')
        Order = pool.get('aftersales.repair.order')
        company = Transaction().context.get('company')
        window = Configuration.company_value(
            'repeat_repair_days', Company(company)) if company else 0
        previous = Order.__table__()
        same_unit = (previous.product == order.product) & (
            (previous.registration == order.registration)
            | ((previous.registration == Null) & (order.registration == Null)
                & (previous.customer == order.customer)
                & (Coalesce(previous.lot, 0) == Coalesce(order.lot, 0))))
        return Exists(previous.select(
                previous.id,
                where=same_unit
                & (previous.id != order.id)
                & (previous.company == order.company)
                & (previous.state == 'done')
                & (previous.done_date <= order.date)
                & (_days(previous.done_date, order.date) <= window)))

    def get_average_days(self, name):
        return ratio(self.days, self.repairs)

    def get_repeat_rate(self, name):
        return ratio(self.repeats, self.repairs)

    @classmethod
    def _sheet_fields(cls):
        return ['point', 'office', 'repairs', 'average_days', 'repeats',
            'repeat_rate']

    @classmethod
    def _sheet_query(cls, query):
        pool = Pool()
        Party = pool.get('party.party')
        Point = pool.get('aftersales.repair.point')
        point = Point.__table__()
        point_party = Party.__table__()
        from_item, office = _name_join(query, query.office, Party)
        from_item = (from_item
            .join(point, condition=query.point == point.id)
            .join(point_party, condition=point.party == point_party.id))
        return from_item.select(
            query.year, query.month, point_party.name, office,
            query.repairs, query.days / query.repairs,
            query.repeats, query.repeats * 1.0 / query.repairs,
            order_by=[query.year, query.month, point_party.name])

    @classmethod
    def _sheet_chart(cls):
        return Chart('column', 1, [3, 5])


class ReturnRate(AnalysisMixin, ModelSQL, ModelView):
    """Return Rate

    Per month and office: the quantity the office returned against the
    quantity delivered to it and to the dealers it answers for, in the
    products' units.
    """
    __string__ = "Return Rate"
    __name__ = 'aftersales.analysis.return_rate'
    _monthly_key = 'office'

    office = party_field("Office", readonly=True)
    delivered = fields.Float("Delivered", digits=(16, 2), readonly=True)
    returned = fields.Float("Returned", digits=(16, 2), readonly=True)
    return_rate = fields.Function(
        fields.Float("Return Rate", digits=(1, 4)), 'get_return_rate')

    @classmethod
    def table_query(cls):
        rows = Union(cls._delivered_query(), cls._returned_query(),
            all_=True)
        key = [rows.company, rows.office, rows.year, rows.month]
        return rows.select(
            Min(rows.id).as_('id'), *key,
            cls.delivered.sql_cast(Sum(rows.delivered)).as_('delivered'),
            cls.returned.sql_cast(Sum(rows.returned)).as_('returned'),
            group_by=key)

    @classmethod
    def _delivered_query(cls):
        """One row per done move to the customer location of an office or
        of a dealer it answers for"""
        pool = Pool()
        Location = pool.get('stock.location')
        Move = pool.get('stock.move')
        Shipment = pool.get('stock.shipment.out')
        move = Move.__table__()
        shipment = Shipment.__table__()
        location = Location.__table__()
        from_item, office = _office_join(move
            .join(shipment, condition=move.shipment == Concat(
                    Shipment.__name__ + ',', shipment.id))
            .join(location, condition=move.to_location == location.id),
            shipment.customer)
        return from_item.select(
            (move.id * 2).as_('id'),
            move.company.as_('company'),
            office.as_('office'),
            *cls._month(move.effective_date),
            move.internal_quantity.as_('delivered'),
            Literal(0.0).as_('returned'),
            where=(move.state == 'done')
            & (location.type == 'customer')
            & (office != Null)
            & cls._where(move.company, move.effective_date))

    @classmethod
    def _returned_query(cls):
        "One row per line of the returns the offices stand by"
        from_item, line, application, quantity, where = (
            cls._returned_lines())
        from_item, office = _office_join(from_item, application.sender)
        return from_item.select(
            (line.id * 2 + 1).as_('id'),
            application.company.as_('company'),
            office.as_('office'),
            *cls._month(application.date),
            Literal(0.0).as_('delivered'),
            quantity.as_('returned'),
            where=where & (office != Null))

    def get_return_rate(self, name):
        return ratio(self.returned, self.delivered)

    @classmethod
    def _sheet_fields(cls):
        return ['office', 'delivered', 'returned', 'return_rate']

    @classmethod
    def _sheet_query(cls, query):
        Party = Pool().get('party.party')
        from_item, office = _name_join(query, query.office, Party)
        rate = Case((query.delivered > 0,
                query.returned / query.delivered), else_=Null)
        return from_item.select(
            query.year, query.month, office, query.delivered,
            query.returned, rate,
            order_by=[query.year, query.month, office])

    @classmethod
    def _sheet_chart(cls):
        return Chart('column', 1, [2, 3])
