from decimal import Decimal

from trytond.model import ModelSQL, fields
from trytond.modules.aftersales_warranty.configuration import (
    default_record, default_value)
from trytond.modules.aftersales_warranty.configuration import (
    add_sequences, days_field)
from trytond.modules.company.model import CompanyValueMixin
from trytond.pool import Pool, PoolMeta

from .document import rate_field

MODULE = 'aftersales_repair_network'


def _product_field(string, help):
    return fields.Many2One(
        'product.product', string,
        domain=[('type', '=', 'service')], help=help)


deposit_rate = rate_field(
    "Deposit Rate", 'deposit_rate',
    help="The share of its initial parts' value a repair point pays "
    "as deposit: 0.30 is 30 %.")
parts_warehouse = fields.Many2One(
    'stock.location', "Parts Warehouse", required=True,
    domain=[('type', '=', 'warehouse')],
    help="The warehouse whose storage issues parts to repair points.")
consignment_location = fields.Many2One(
    'stock.location', "Consignment Parent", required=True,
    domain=[('type', '=', 'view')],
    help="The locations of the repair points are created under it.")
collected_location = fields.Many2One(
    'stock.location', "Collected Faulty Parts", required=True,
    domain=[('type', '=', 'storage')],
    help="Where faulty parts handed in old-for-new go.")


class Configuration(metaclass=PoolMeta):
    "Its sequence fields are added from SEQUENCES below"
    __name__ = 'aftersales.configuration'

    deposit_rate = fields.MultiValue(deposit_rate)
    repair_promise_days = days_field(
        "Repair Promise (days)", 'repair_promise_days',
        help="A repair not done on the spot is promised within this many "
        "days of its receipt.")
    parts_warehouse = fields.MultiValue(parts_warehouse)
    consignment_location = fields.MultiValue(consignment_location)
    collected_location = fields.MultiValue(collected_location)
    deposit_product = _product_field(
        "Deposit Product",
        "The service invoiced as a repair point's parts deposit.")
    rebate_product = _product_field(
        "Rebate Product",
        "The service credited as a dealer's rebate.")
    compensation_product = _product_field(
        "Compensation Product",
        "The service credited as repair-fee compensation.")

    default_deposit_rate = default_value('deposit_rate')
    default_parts_warehouse = default_value('parts_warehouse')
    default_consignment_location = default_value('consignment_location')
    default_collected_location = default_value('collected_location')

    @classmethod
    def default_repair_promise_days(cls):
        "The default repair promise (RULEBOOK R2): editable"
        return 3

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field in {'deposit_rate', 'parts_warehouse',
                'consignment_location', 'collected_location'}:
            return pool.get('aftersales.configuration.repair_network')
        return super().multivalue_model(field)


class ConfigurationSequence(metaclass=PoolMeta):
    "Its sequence fields are added from SEQUENCES below"
    __name__ = 'aftersales.configuration.sequence'


# field name: (label, name of the sequence type and of the default sequence)
SEQUENCES = {
    'repair_point_sequence': ("Repair Point Sequence", 'repair_point'),
    'repair_order_sequence': ("Repair Order Sequence", 'repair_order'),
    'repair_requisition_sequence': (
        "Parts Requisition Sequence", 'requisition'),
    'repair_exchange_sequence': (
        "Old-for-New Exchange Sequence", 'exchange'),
    'repair_settlement_sequence': (
        "Rebate Settlement Sequence", 'settlement'),
    'repair_visit_sequence': ("Repair Point Visit Sequence", 'visit'),
    'repair_dispute_sequence': (
        "Repair Point Dispute Sequence", 'dispute'),
    }
add_sequences(Configuration, ConfigurationSequence, MODULE, SEQUENCES)


def company_values(name, records):
    """Return {company: value} of the configuration field name for the
    companies of records"""
    Configuration = Pool().get('aftersales.configuration')
    configuration = Configuration(1)
    return {c: configuration.get_multivalue(name, company=c.id)
        for c in {r.company for r in records}}


class ConfigurationRepairNetwork(ModelSQL, CompanyValueMixin):
    __string__ = "After-Sales Configuration Repair Network"
    __name__ = 'aftersales.configuration.repair_network'

    deposit_rate = deposit_rate
    parts_warehouse = parts_warehouse
    consignment_location = consignment_location
    collected_location = collected_location

    default_parts_warehouse = default_record('stock', 'location_warehouse')
    default_consignment_location = default_record(
        MODULE, 'location_consignment')
    default_collected_location = default_record(MODULE, 'location_collected')

    @classmethod
    def default_deposit_rate(cls):
        "The default deposit rate (RULEBOOK N4): editable"
        return Decimal('0.30')
