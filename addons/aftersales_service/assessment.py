"The monthly assessment of the after-sales staff (C13)"
from sql import Literal, Null
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case
from sql.functions import Extract

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool


class Assessment(ModelSQL, ModelView):
    """Staff Assessment

    Per month and employee: the service visits done, the share done within
    the appointment and the customers' average satisfaction, all computed
    by the database.
    """
    __string__ = "Staff Assessment"
    __name__ = 'aftersales.service.assessment'

    company = fields.Many2One('company.company', "Company", readonly=True)
    employee = fields.Many2One('company.employee', "Employee", readonly=True)
    year = fields.Integer("Year", readonly=True)
    month = fields.Integer("Month", readonly=True)
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

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('year', 'DESC'), ('month', 'DESC'), ('employee', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        "Add up the figures of each technician's closed visits (C13)"
        pool = Pool()
        Request = pool.get('aftersales.service.request')
        Visit = pool.get('aftersales.service.request.visit')
        visit = Visit.__table__()
        request = Request.__table__()
        called = visit.called_at != Null
        total = (visit.attitude + visit.skill + visit.punctuality
            + visit.result) / Literal(4.0)
        key = [
            request.company, visit.technician,
            Extract('YEAR', visit.done_at), Extract('MONTH', visit.done_at)]
        company, employee, year, month = key
        return visit.join(request, condition=visit.request == request.id
            ).select(
                Min(visit.id).as_('id'),
                company.as_('company'),
                employee.as_('employee'),
                year.as_('year'),
                month.as_('month'),
                Count(Literal('*')).as_('services'),
                Sum(Case((visit.done_at <= visit.appointment_end, 1),
                        else_=0)).as_('on_time'),
                Sum(Case((called, total), else_=Literal(0.0))
                    ).as_('score_total'),
                Sum(Case((called, 1), else_=0)).as_('scored'),
                where=(visit.technician != Null)
                & (visit.outcome != Null),
                group_by=key)

    def get_on_time_rate(self, name):
        return self.on_time / self.services if self.services else None

    def get_satisfaction(self, name):
        return self.score_total / self.scored if self.scored else None
