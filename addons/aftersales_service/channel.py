"The sales channels that take the hotline's orders, by area"
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.aftersales_warranty.document import (
    CompanyMixin, owner_field)


class Channel(CompanyMixin, ModelSQL, ModelView):
    """A sales channel serving some areas: the hotline's orders from
    there go to it"""
    __string__ = "Sales Channel"
    __name__ = 'aftersales.service.channel'

    name = fields.Char("Name", required=True, translate=True)
    contact = fields.Many2One(
        'res.user', "Sales Desk",
        help="The user who receives the orders routed to the channel.")
    subdivisions = fields.Many2Many(
        'aftersales.service.channel-country.subdivision', 'channel',
        'subdivision', "Areas",
        help="The channel serves these subdivisions and those below them.")

    @classmethod
    def serving(cls, company, subdivisions):
        """Return {subdivision id: channel} of the company serving each
        subdivision, the channel of the nearest area up its parents"""
        ancestors = {s.id: _ancestors(s) for s in subdivisions}
        channels = cls.search([
                ('company', '=', company.id),
                ('subdivisions', 'in',
                    list({a for p in ancestors.values() for a in p})),
                ])
        by_area = {s.id: c for c in channels for s in c.subdivisions}
        serving = {}
        for subdivision_id, path in ancestors.items():
            serving[subdivision_id] = next(
                (by_area[a] for a in path if a in by_area), None)
        return serving


def _ancestors(subdivision):
    "Return the ids of subdivision and of its parents, nearest first"
    path = []
    while subdivision:
        path.append(subdivision.id)
        subdivision = subdivision.parent
    return path


class ChannelSubdivision(ModelSQL):
    __string__ = "Sales Channel Area"
    __name__ = 'aftersales.service.channel-country.subdivision'

    channel = owner_field('aftersales.service.channel', "Channel")
    subdivision = owner_field('country.subdivision', "Subdivision")
