"Batch quality disputes"
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.aftersales_warranty.dates import within_days
from trytond.modules.aftersales_warranty.exceptions import DateOrderError
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.modules.aftersales_warranty.document import (
    DocumentMixin, save_links, state_buttons, state_field)
from trytond.modules.aftersales_warranty.field_states import editable_in
from trytond.modules.aftersales_warranty.configuration import NumberedMixin
from trytond.modules.aftersales_warranty.overdue import (
    OverdueMixin, overdue_field)
from trytond.modules.aftersales_warranty.party_field import party_field
from trytond.modules.aftersales_warranty.stamp import stamp_values

from .exceptions import DisputeError

_draft = editable_in('draft')
_open = editable_in('open')


class Dispute(OverdueMixin, DocumentMixin, NumberedMixin, Workflow, ModelSQL,
        ModelView):
    "Batch Quality Dispute"
    __name__ = 'aftersales.rma.dispute'
    _number_sequence = 'dispute_sequence'
    _copy_reset = ['inspection_due', 'resolution_due', 'technician',
        'inspection_date', 'finding', 'application']
    __string__ = "Batch Quality Dispute"

    dealer = party_field(
        "Dealer", required=True, states=_draft,
        domain=[('aftersales_role', 'not in', [None, 'consumer'])],
        help="The dealer who raised the dispute; a confirmed batch comes "
        "back from it.")
    region = fields.Many2One(
        'country.subdivision', "Region", states=_draft)
    raised_date = fields.Date("Raised On", required=True, states=_draft)
    inspection_due = fields.Date(
        "Inspection Due", readonly=True,
        help="The technical department inspects by this day.")
    resolution_due = fields.Date(
        "Resolution Due", readonly=True,
        help="Customer service confirms the defect or closes the dispute "
        "by this day.")
    product = fields.Many2One(
        'product.product', "Product", required=True, states=_draft,
        context={'company': Eval('company', -1)}, depends={'company'},
        domain=[('type', '=', 'goods')])
    lot = fields.Many2One(
        'stock.lot', "Batch", required=True, states=_draft,
        domain=[('product', '=', Eval('product', -1))])
    quantity = fields.Float(
        "Batch Quantity", digits='unit', required=True, states=_draft,
        domain=[('quantity', '>', 0)],
        help="The whole batch at the dealer, units that still work "
        "included.")
    unit = fields.Many2One(
        'product.uom', "Unit", required=True, states=_draft)
    description = fields.Text("Problem", states=_draft)
    technician = fields.Many2One(
        'company.employee', "Technician",
        domain=[('company', '=', Eval('company', -1))],
        states=editable_in('draft', 'open'))
    inspection_date = fields.Date("Inspected On", states=_open)
    finding = fields.Text("Finding", states=_open)
    application = fields.Many2One(
        'aftersales.rma.application', "Return Application", readonly=True)
    overdue = overdue_field(
        "The step that is due, the inspection then the "
        "resolution, is not done by its due date.")
    state = state_field([
            ('draft', "Draft"),
            ('open', "Open"),
            ('confirmed', "Defect Confirmed"),
            ('closed', "Closed"),
            ('cancelled', "Cancelled"),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('raised_date', 'DESC'))
        cls._transitions |= {
            ('draft', 'open'),
            ('open', 'confirmed'),
            ('open', 'closed'),
            ('draft', 'cancelled'),
            ('open', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update(state_buttons(
                open=['draft'], confirm=['open'], close=['open'],
                cancel=['draft', 'open'], draft=['cancelled']))

    @classmethod
    def default_raised_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('dealer')
    def on_change_dealer(self):
        if self.dealer:
            address = self.dealer.address_get()
            if address and address.subdivision:
                self.region = address.subdivision

    @fields.depends('product', 'unit')
    def on_change_product(self):
        if self.product and not self.unit:
            self.unit = self.product.default_uom

    @fields.depends('lot', 'product', 'unit')
    def on_change_lot(self):
        if self.lot:
            self.product = self.lot.product
            self.on_change_product()

    @classmethod
    def validate_fields(cls, disputes, field_names):
        super().validate_fields(disputes, field_names)
        if field_names & {'raised_date', 'inspection_date'}:
            cls.check_inspection_date(disputes)

    @classmethod
    def check_inspection_date(cls, disputes):
        "Refuse an inspection dated before the dispute was raised"
        lang = Pool().get('ir.lang').get()
        for dispute in disputes:
            if (dispute.inspection_date
                    and dispute.inspection_date < dispute.raised_date):
                raise DateOrderError(gettext(
                        'aftersales_rma.msg_dispute_inspection_before_raised',
                        dispute=dispute.rec_name,
                        inspection_date=lang.strftime(
                            dispute.inspection_date),
                        raised_date=lang.strftime(dispute.raised_date)))

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, disputes):
        "Customer service takes the dispute: inspection within 2 days (W5)"
        Configuration = Pool().get('aftersales.configuration')
        configuration = Configuration(1)
        for dispute in disputes:
            dispute.inspection_due = within_days(
                dispute.raised_date, configuration.dispute_days)
            dispute.resolution_due = within_days(
                dispute.inspection_due,
                configuration.dispute_resolution_days)
        cls.save(disputes)

    @classmethod
    def check_inspected(cls, disputes):
        for dispute in disputes:
            if not (dispute.technician and dispute.inspection_date
                    and (dispute.finding or '').strip()):
                raise DisputeError(gettext(
                        'aftersales_rma.msg_dispute_not_inspected',
                        dispute=dispute.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, disputes):
        """A confirmed defect takes the whole batch back (W5)

        The return is specially approved (R7) and travels at the
        company's cost.
        """
        cls.check_inspected(disputes)
        cls.create_returns(disputes)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, disputes):
        "No defect: the dispute closes with its finding, nothing moves (W5)"
        cls.check_inspected(disputes)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, disputes):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, disputes):
        pass

    @classmethod
    def create_returns(cls, disputes):
        pool = Pool()
        Application = pool.get('aftersales.rma.application')
        Line = pool.get('aftersales.rma.application.line')
        Configuration = pool.get('aftersales.configuration')
        configuration = Configuration(1)
        stamps = {
            **stamp_values(Application, 'signed'),
            **stamp_values(Application, 'special_approved'),
            }
        applications = []
        for dispute in disputes:
            application = Application(
                company=dispute.company,
                sender=dispute.dealer,
                sender_address=dispute.dealer.address_get(),
                region=dispute.region,
                date=dispute.inspection_date,
                planned_date=dispute.inspection_date,
                assessment=dispute.finding,
                special_request=dispute.description,
                special_reason=gettext(
                    'aftersales_rma.msg_dispute_special_reason',
                    dispute=dispute.number),
                dispute=dispute,
                state='signed',
                **stamps)
            application.lines = [Line(
                    product=dispute.product,
                    lot=dispute.lot,
                    quantity=dispute.quantity,
                    unit=dispute.unit,
                    unit_price=dispute.product.list_price_used,
                    reason=configuration.dispute_reason,
                    description=dispute.description)]
            applications.append(application)
        save_links(disputes, 'application', applications)
        Application.submit(applications)
        Application.approve(applications)

    @classmethod
    def _overdue_domain(cls, date):
        """Open disputes not inspected by the inspection due date, or not
        resolved by the resolution due date (W5)"""
        return [
            ('state', '=', 'open'),
            ['OR',
                [
                    ('inspection_date', '=', None),
                    ('inspection_due', '<', date),
                    ],
                ('resolution_due', '<', date),
                ],
            ]
