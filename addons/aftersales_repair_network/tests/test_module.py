import datetime as dt

from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from ..stock import new_move


class AftersalesRepairNetworkTestCase(CompanyTestMixin, ModuleTestCase):
    "Test After-Sales Repair Network module"
    module = 'aftersales_repair_network'
    extras = ['aftersales_rma']

    @with_transaction()
    def test_r3_faulty_parts_go_on_office_return(self):
        "R3: a point's faulty parts go on its office's monthly return"
        pool = Pool()
        Party = pool.get('party.party')
        Address = pool.get('party.address')
        Uom = pool.get('product.uom')
        Template = pool.get('product.template')
        Product = pool.get('product.product')
        Scale = pool.get('aftersales.repair.scale')
        Point = pool.get('aftersales.repair.point')
        Location = pool.get('stock.location')
        Move = pool.get('stock.move')
        Application = pool.get('aftersales.rma.application')
        today = dt.date.today()
        company = create_company()
        with set_company(company):
            office, = Party.create([{
                        'name': "Guangzhou Office",
                        'aftersales_role': 'branch_office'}])
            store, = Party.create([{
                        'name': "Tianhe Store",
                        'aftersales_role': 'franchise_store',
                        'upstream': office.id}])
            address, = Address.create([{'party': store.id}])
            unit, = Uom.search([('name', '=', "Unit")])
            template, = Template.create([{
                        'name': "Electronic Ballast", 'type': 'goods',
                        'default_uom': unit.id}])
            ballast, = Product.create([{'template': template.id}])
            scale, = Scale.create([{
                        'name': "Small", 'company': company.id,
                        'minimum_sales': 0}])
            point, = Point.create([{
                        'company': company.id, 'party': store.id,
                        'office': office.id, 'address': address.id,
                        'market': "Haizhu Lighting Market",
                        'annual_sales': 0, 'scale': scale.id}])
            Point.approve([point])
            self.assertEqual(point.state, 'approved')

            # The point took in three faulty ballasts
            lost_found, = Location.search([('type', '=', 'lost_found')])
            move = new_move(
                ballast, 3, lost_found, point.faulty_location, company,
                None, today)
            move.save()
            Move.do([move])

            application, = Application.create([{
                        'company': company.id, 'sender': office.id,
                        'date': today, 'planned_date': today}])
            Application.add_repair_faulty([application])
            line, = application.lines
            self.assertEqual(
                (line.product, line.quantity, line.repair_point,
                    line.reason.quality),
                (ballast, 3, point, True))
            with Transaction().set_context(stock_date_end=today):
                quantities = Product.products_by_location(
                    [point.faulty_location.id, office.customer_location.id])
            self.assertEqual(
                quantities.get((point.faulty_location.id, ballast.id), 0), 0)
            move, = Move.search([('origin', '=', str(line))])
            self.assertEqual(
                (move.state, move.to_location), ('done',
                    office.customer_location))

            # Nothing is left to add
            Application.add_repair_faulty([application])
            self.assertEqual(len(application.lines), 1)


del ModuleTestCase
