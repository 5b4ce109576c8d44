from decimal import Decimal

from trytond.model import ModelSQL, fields
from trytond.modules.aftersales_warranty.configuration import (
    CONTEXT_COMPANY, default_record, default_value, sequence_field)
from trytond.modules.company.model import CompanyValueMixin
from trytond.pool import Pool, PoolMeta

MODULE = 'aftersales_repair_network'


def _product_field(string, help):
    return fields.Many2One(
        'product.product', string,
        domain=[('type', '=', 'service')], help=help)


deposit_rate = fields.Numeric(
    "Deposit Rate", digits=(4, 4), required=True,
    domain=[('deposit_rate', '>=', 0), ('deposit_rate', '<=', 1)],
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
    __name__ = 'aftersales.configuration'

    repair_point_sequence = fields.MultiValue(sequence_field(
            "Repair Point Sequence", MODULE, 'repair_point',
            company=CONTEXT_COMPANY))
    repair_order_sequence = fields.MultiValue(sequence_field(
            "Repair Order Sequence", MODULE, 'repair_order',
            company=CONTEXT_COMPANY))
    repair_requisition_sequence = fields.MultiValue(sequence_field(
            "Parts Requisition Sequence", MODULE, 'requisition',
            company=CONTEXT_COMPANY))
    repair_exchange_sequence = fields.MultiValue(sequence_field(
            "Old-for-New Exchange Sequence", MODULE, 'exchange',
            company=CONTEXT_COMPANY))
    repair_settlement_sequence = fields.MultiValue(sequence_field(
            "Rebate Settlement Sequence", MODULE, 'settlement',
            company=CONTEXT_COMPANY))
    repair_visit_sequence = fields.MultiValue(sequence_field(
            "Repair Point Visit Sequence", MODULE, 'visit',
            company=CONTEXT_COMPANY))
    repair_dispute_sequence = fields.MultiValue(sequence_field(
            "Repair Point Dispute Sequence", MODULE, 'dispute',
            company=CONTEXT_COMPANY))

    deposit_rate = fields.MultiValue(deposit_rate)
    repair_promise_days = fields.Integer(
        "Repair Promise (days)", required=True,
        domain=[('repair_promise_days', '>=', 0)],
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

    default_repair_point_sequence = default_value('repair_point_sequence')
    default_repair_order_sequence = default_value('repair_order_sequence')
    default_repair_requisition_sequence = default_value(
        'repair_requisition_sequence')
    default_repair_exchange_sequence = default_value(
        'repair_exchange_sequence')
    default_repair_settlement_sequence = default_value(
        'repair_settlement_sequence')
    default_repair_visit_sequence = default_value('repair_visit_sequence')
    default_repair_dispute_sequence = default_value(
        'repair_dispute_sequence')
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
    __name__ = 'aftersales.configuration.sequence'

    repair_point_sequence = sequence_field(
        "Repair Point Sequence", MODULE, 'repair_point')
    repair_order_sequence = sequence_field(
        "Repair Order Sequence", MODULE, 'repair_order')
    repair_requisition_sequence = sequence_field(
        "Parts Requisition Sequence", MODULE, 'requisition')
    repair_exchange_sequence = sequence_field(
        "Old-for-New Exchange Sequence", MODULE, 'exchange')
    repair_settlement_sequence = sequence_field(
        "Rebate Settlement Sequence", MODULE, 'settlement')
    repair_visit_sequence = sequence_field(
        "Repair Point Visit Sequence", MODULE, 'visit')
    repair_dispute_sequence = sequence_field(
        "Repair Point Dispute Sequence", MODULE, 'dispute')

    default_repair_point_sequence = default_record(
        MODULE, 'sequence_repair_point')
    default_repair_order_sequence = default_record(
        MODULE, 'sequence_repair_order')
    default_repair_requisition_sequence = default_record(
        MODULE, 'sequence_requisition')
    default_repair_exchange_sequence = default_record(
        MODULE, 'sequence_exchange')
    default_repair_settlement_sequence = default_record(
        MODULE, 'sequence_settlement')
    default_repair_visit_sequence = default_record(MODULE, 'sequence_visit')
    default_repair_dispute_sequence = default_record(
        MODULE, 'sequence_dispute')


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
