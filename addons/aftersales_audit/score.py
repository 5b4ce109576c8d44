"""The scores of an office's posts, for their performance assessment (A8)

Each audit scores the office's posts against weighted criteria; the score
of a post for a month is the weighted mean of its criteria's scores in the
audits completed that month, which the next month's score is compared with.
"""
from sql import Literal, Null, Window
from sql.aggregate import Count, Max, Min, Sum
from sql.functions import DateTrunc, Lag

from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.aftersales_warranty.document import owner_field
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.pool import Pool
from trytond.transaction import Transaction

from .sheet import Chart, model_sheet, sql_date

SCORE_DOMAIN = ['OR',
    ('score', '=', None),
    [('score', '>=', 0), ('score', '<=', 100)],
    ]


class Post(ModelSQL, ModelView):
    "A post of an office whose holder an audit assesses"
    __string__ = "Office Post"
    __name__ = 'aftersales.audit.post'

    name = fields.Char("Name", required=True, translate=True)
    active = fields.Boolean("Active")
    criteria = fields.One2Many(
        'aftersales.audit.criterion', 'post', "Criteria")

    @classmethod
    def default_active(cls):
        return True


class Criterion(ModelSQL, ModelView):
    "What an audit scores a post on, and its weight in the post's score"
    __string__ = "Audit Criterion"
    __name__ = 'aftersales.audit.criterion'

    post = owner_field('aftersales.audit.post', "Post")
    name = fields.Char("Name", required=True, translate=True)
    weight = fields.Integer(
        "Weight", required=True, domain=[('weight', '>', 0)],
        help="The criterion's share in the post's score, against the "
        "weights of the post's other criteria.")
    active = fields.Boolean("Active")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('post', 'ASC'))

    @classmethod
    def default_active(cls):
        return True

    @classmethod
    def default_weight(cls):
        return 1


class Score(ModelSQL, ModelView):
    "The score of a criterion in an audit, from 0 to 100 (A8)"
    __string__ = "Audit Score"
    __name__ = 'aftersales.audit.score'

    plan = owner_field('aftersales.audit.plan', "Plan")
    criterion = fields.Many2One(
        'aftersales.audit.criterion', "Criterion", required=True,
        readonly=True, ondelete='RESTRICT')
    post = fields.Function(
        fields.Many2One('aftersales.audit.post', "Post"),
        'on_change_with_post')
    weight = fields.Function(
        fields.Integer("Weight"), 'on_change_with_weight')
    score = fields.Numeric(
        "Score", digits=(3, 1), domain=[SCORE_DOMAIN])
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('plan')
        t = cls.__table__()
        cls._sql_constraints = [
            ('plan_criterion_unique', Unique(t, t.plan, t.criterion),
                'aftersales_audit.msg_score_unique'),
            ]

    @fields.depends('criterion', '_parent_criterion.post')
    def on_change_with_post(self, name=None):
        return self.criterion.post if self.criterion else None

    @fields.depends('criterion', '_parent_criterion.weight')
    def on_change_with_weight(self, name=None):
        return self.criterion.weight if self.criterion else None


class PostScore(ModelSQL, ModelView):
    """Post Scores per Month

    The weighted score of each post of each office for the month its
    audits completed, beside the score of its previous audited month (A8).
    """
    __string__ = "Post Scores per Month"
    __name__ = 'aftersales.audit.post_score'

    company = fields.Many2One('company.company', "Company", readonly=True)
    office = party_field("Office", readonly=True)
    post = fields.Many2One('aftersales.audit.post', "Post", readonly=True)
    month = fields.Date("Month", readonly=True)
    audits = fields.Integer("Audits", readonly=True)
    score = fields.Numeric("Score", digits=(3, 1), readonly=True)
    previous = fields.Numeric(
        "Previous Score", digits=(3, 1), readonly=True,
        help="The post's score in the office's previous audited month.")
    change = fields.Function(
        fields.Numeric("Change", digits=(3, 1)), 'get_change')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('office', 'ASC'), ('post', 'ASC'), ('month', 'DESC'),
            ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        monthly = cls._monthly_query()
        window = Window([monthly.office, monthly.post],
            order_by=[monthly.month.asc])
        return monthly.select(
            monthly.id, monthly.company, monthly.office, monthly.post,
            monthly.month, monthly.audits, monthly.score,
            Lag(monthly.score, window=window).as_('previous'),
            Literal(0).as_('create_uid'),
            monthly.create_date,
            Literal(None).as_('write_uid'),
            Literal(None).as_('write_date'))

    @classmethod
    def _monthly_query(cls):
        "The weighted score of each office's post per month, as a subquery"
        pool = Pool()
        plan = pool.get('aftersales.audit.plan').__table__()
        score = pool.get('aftersales.audit.score').__table__()
        criterion = pool.get('aftersales.audit.criterion').__table__()
        # the month in a subquery, so that grouping names its column
        audit = plan.select(
            plan.id, plan.company, plan.office, plan.create_date,
            cls.month.sql_cast(
                DateTrunc('month', plan.completion_date)).as_('month'),
            where=plan.state.in_(['reported', 'closed']))
        weighted = Sum(score.score * criterion.weight)
        return score.join(audit, condition=score.plan == audit.id
            ).join(criterion, condition=score.criterion == criterion.id
            ).select(
                # the groups part the scores, so their least ids differ
                Min(score.id).as_('id'),
                audit.company.as_('company'),
                audit.office.as_('office'),
                criterion.post.as_('post'),
                audit.month.as_('month'),
                Count(audit.id, distinct=True).as_('audits'),
                (weighted / Sum(criterion.weight)).as_('score'),
                Max(audit.create_date).as_('create_date'),
                where=score.score != Null,
                group_by=[audit.company, audit.office, criterion.post,
                    audit.month])

    def get_change(self, name):
        if self.previous is not None and self.score is not None:
            return self.score - self.previous

    @classmethod
    def workbook_sheet(cls, company, start, end):
        "The months' post scores beside their previous ones"
        pool = Pool()
        Post = pool.get('aftersales.audit.post')
        table = cls.__table__()
        party = pool.get('party.party').__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.join(party, condition=table.office == party.id
                ).select(
                party.name, table.post, table.month, table.audits,
                table.score, table.previous,
                where=(table.company == company.id)
                & (table.month >= start) & (table.month <= end),
                order_by=[party.name, table.post, table.month]))
        # the posts' names in the reader's language
        posts = {p.id: p.name for p in Post.search([
                    ('active', 'in', [True, False])])}
        rows = ((office, posts[post], sql_date(month), *figures)
            for office, post, month, *figures in cursor)
        return model_sheet(cls, [
                ('office', 'char'), ('post', 'char'), ('month', 'date'),
                ('audits', 'integer'), ('score', 'number'),
                ('previous', 'number'),
                ], rows, chart=Chart('column', 1, [4, 5]))
