"The monthly assessment of the after-sales staff (C13)"
from sql import Literal, Null, Union
from sql.aggregate import Min, Sum
from sql.conditionals import Case

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

from .monthly import MonthlyMixin, ratio


class Assessment(MonthlyMixin, ModelSQL, ModelView):
    """Staff Assessment

    Per month and employee: the service visits done, the share done within
    the appointment, the customers' average satisfaction and the complaints
    against the employee, all computed by the database.
    """
    __string__ = "Staff Assessment"
    __name__ = 'aftersales.service.assessment'
    _monthly_key = 'employee'

    employee = fields.Many2One('company.employee', "Employee", readonly=True)
    services = fields.Integer(
        "Services Done", readonly=True,
        help="The visits closed, repaired or not.")
    on_time = fields.Integer(
        "On Time", readonly=True,
        help="The visits closed by the end of their appointment.")
    on_time_rate = fields.Function(
        fields.Float("On-Time Rate", digits=(1, 4)), 'get_on_time_rate')
    score_total = fields.Float("Score Total", readonly=True)
    scored = fields.Integer(
        "Satisfaction Calls", readonly=True,
        help="The visits whose customer was called and scored them.")
    satisfaction = fields.Function(
        fields.Float(
            "Average Satisfaction", digits=(1, 2),
            help="The average of the four scores from 1 to 5."),
        'get_satisfaction')
    complaints = fields.Integer(
        "Complaints Against", readonly=True,
        help="The service-quality complaints naming the employee.")

    @classmethod
    def table_query(cls):
        "Add up the visits' and complaints' figures of each month (C13)"
        rows = Union(cls._visit_query(), cls._complaint_query(), all_=True)
        key = [rows.company, rows.employee, rows.year, rows.month]
        return rows.select(
            Min(rows.id).as_('id'), *key,
            Sum(rows.services).as_('services'),
            Sum(rows.on_time).as_('on_time'),
            Sum(rows.score_total).as_('score_total'),
            Sum(rows.scored).as_('scored'),
            Sum(rows.complaints).as_('complaints'),
            group_by=key)

    @classmethod
    def _visit_query(cls):
        "The figures of each closed visit of a technician"
        pool = Pool()
        Request = pool.get('aftersales.service.request')
        Visit = pool.get('aftersales.service.request.visit')
        visit = Visit.__table__()
        request = Request.__table__()
        called = visit.called_at != Null
        total = (visit.attitude + visit.skill + visit.punctuality
            + visit.result) / Literal(4.0)
        return visit.join(request, condition=visit.request == request.id
            ).select(
                (visit.id * 2).as_('id'),
                request.company.as_('company'),
                visit.technician.as_('employee'),
                *cls._month(visit.done_at),
                Literal(1).as_('services'),
                Case((visit.done_at <= visit.appointment_end, 1),
                    else_=0).as_('on_time'),
                Case((called, total), else_=Literal(0.0)).as_('score_total'),
                Case((called, 1), else_=0).as_('scored'),
                Literal(0).as_('complaints'),
                where=(visit.technician != Null)
                & (visit.outcome != Null))

    @classmethod
    def _complaint_query(cls):
        "One row per complaint naming an employee"
        Complaint = Pool().get('sale.complaint')
        complaint = Complaint.__table__()
        return complaint.select(
            (complaint.id * 2 + 1).as_('id'),
            complaint.company.as_('company'),
            complaint.employee.as_('employee'),
            *cls._month(complaint.date),
            Literal(0).as_('services'),
            Literal(0).as_('on_time'),
            Literal(0.0).as_('score_total'),
            Literal(0).as_('scored'),
            Literal(1).as_('complaints'),
            where=(complaint.employee != Null) & (complaint.date != Null))

    def get_on_time_rate(self, name):
        return ratio(self.on_time, self.services)

    def get_satisfaction(self, name):
        return ratio(self.score_total, self.scored)
