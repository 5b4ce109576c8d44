from trytond.model import fields
from trytond.modules.aftersales_warranty.configuration import (
    default_sequence)
from trytond.pool import PoolMeta
from trytond.pyson import Id

MODULE = 'aftersales_repair_network'


def _sequence_field(string, xml_id):
    return fields.Many2One(
        'ir.sequence', string, required=True,
        domain=[('sequence_type', '=', Id(MODULE, xml_id))])


def _product_field(string, help):
    return fields.Many2One(
        'product.product', string,
        domain=[('type', '=', 'service')], help=help)


class Configuration(metaclass=PoolMeta):
    __name__ = 'aftersales.configuration'

    repair_point_sequence = _sequence_field(
        "Repair Point Sequence", 'sequence_type_repair_point')
    repair_order_sequence = _sequence_field(
        "Repair Order Sequence", 'sequence_type_repair_order')
    repair_requisition_sequence = _sequence_field(
        "Parts Requisition Sequence", 'sequence_type_requisition')
    repair_exchange_sequence = _sequence_field(
        "Old-for-New Exchange Sequence", 'sequence_type_exchange')
    repair_settlement_sequence = _sequence_field(
        "Rebate Settlement Sequence", 'sequence_type_settlement')
    repair_visit_sequence = _sequence_field(
        "Repair Point Visit Sequence", 'sequence_type_visit')
    repair_dispute_sequence = _sequence_field(
        "Repair Point Dispute Sequence", 'sequence_type_dispute')

    deposit_rate = fields.Numeric(
        "Deposit Rate", digits=(4, 4), required=True,
        domain=[('deposit_rate', '>=', 0), ('deposit_rate', '<=', 1)],
        help="The share of its initial parts' value a repair point pays "
        "as deposit: 0.30 is 30 %.")
    repair_promise_days = fields.Integer(
        "Repair Promise (days)", required=True,
        domain=[('repair_promise_days', '>=', 0)],
        help="A repair not done on the spot is promised within this many "
        "days of its receipt.")
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
    deposit_product = _product_field(
        "Deposit Product",
        "The service invoiced as a repair point's parts deposit.")
    rebate_product = _product_field(
        "Rebate Product",
        "The service credited as a dealer's rebate.")
    compensation_product = _product_field(
        "Compensation Product",
        "The service credited as repair-fee compensation.")

    default_repair_point_sequence = default_sequence(
        MODULE, 'sequence_repair_point')
    default_repair_order_sequence = default_sequence(
        MODULE, 'sequence_repair_order')
    default_repair_requisition_sequence = default_sequence(
        MODULE, 'sequence_requisition')
    default_repair_exchange_sequence = default_sequence(
        MODULE, 'sequence_exchange')
    default_repair_settlement_sequence = default_sequence(
        MODULE, 'sequence_settlement')
    default_repair_visit_sequence = default_sequence(
        MODULE, 'sequence_visit')
    default_repair_dispute_sequence = default_sequence(
        MODULE, 'sequence_dispute')
