"Who answers for a complaint, by its cause: the mapping is data (C5)"
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields

DEPARTMENTS = [
    ('management', "General Management"),
    ('logistics', "Logistics"),
    ('quality', "Quality Department"),
    ('customer_service', "Customer Service"),
    ('marketing', "Marketing"),
    ]


class Responsibility(DeactivableMixin, ModelSQL, ModelView):
    """A cause of complaints and the department answering for it

    Contract matters go to management, transport to logistics, quality to
    the quality department; customer service keeps the list.
    """
    __string__ = "Complaint Responsibility"
    __name__ = 'aftersales.service.responsibility'

    name = fields.Char("Cause", required=True, translate=True)
    department = fields.Selection(DEPARTMENTS, "Department", required=True)
    user = fields.Many2One(
        'res.user', "Responsible",
        help="The person of the department who answers for these "
        "complaints and gets their deadline reminders.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))
