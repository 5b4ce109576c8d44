"Complaints: validity, classes, the eight steps, deadlines (C3, C5, C11)"
import datetime as dt

from trytond.modules.aftersales_rma.tests.test_module import (
    create_products, create_sender)
from trytond.modules.aftersales_repair_network.tests.test_reports import (
    print_odt)
from trytond.modules.aftersales_warranty.tests.tools import (
    ActivatedTestCase, count_queries, create_user, load_translations,
    OverdueTestMixin, new_company, on, run_queued_tasks, start_smtp_server)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from ..exceptions import ComplaintError
from .test_module import add_calendar_days

THURSDAY = dt.date(2026, 4, 30)
LABOUR_DAY = dt.date(2026, 5, 1)


def create_complaint(company, date=THURSDAY, **values):
    "Return a recorded complaint of a new customer received on date"
    pool = Pool()
    Complaint = pool.get('sale.complaint')
    ModelData = pool.get('ir.model.data')
    Party = pool.get('party.party')
    customer = Party(name="Zhou Lan")
    customer.save()
    complaint = Complaint(
        company=company, customer=customer, date=date,
        type=ModelData.get_id('aftersales_service', 'complaint_type_call'),
        target="Ceiling lamp", description="It flickers.", **values)
    complaint.save()
    return complaint


def judge(complaint, **values):
    "Fill in a valid complaint's judgement"
    values.setdefault('validity', 'valid')
    values.setdefault('complaint_class', 'service')
    values.setdefault('judgement', "The customer is right.")
    for name, value in values.items():
        setattr(complaint, name, value)
    complaint.save()


def take(complaint, step, **texts):
    "Write texts on complaint then press the button of step"
    Complaint = Pool().get('sale.complaint')
    Complaint.write([complaint], texts)
    getattr(Complaint, step)([complaint])


def propose(complaint, solution):
    """Take a valid service complaint through its steps to the proposal of
    solution"""
    pool = Pool()
    Complaint = pool.get('sale.complaint')
    Responsibility = pool.get('aftersales.service.responsibility')
    judge(complaint)
    Complaint.classify([complaint])
    complaint.responsibility, = Responsibility.search([], limit=1)
    complaint.save()
    take(complaint, 'assign', assignment="To the desk.")
    take(complaint, 'investigate', investigation="Checked.")
    take(complaint, 'propose', solution=solution)


class ComplaintTestCase(OverdueTestMixin, ActivatedTestCase):
    "Test the complaints"
    module = 'aftersales_service'

    @with_transaction()
    def test_c3_invalid_complaint_closed_with_answer(self):
        "C3: a complaint judged not valid is closed with its polite answer"
        Complaint = Pool().get('sale.complaint')
        with new_company() as company:
            complaint = create_complaint(company)
            complaint.validity = 'invalid'
            complaint.save()
            with self.assertRaisesRegex(ComplaintError, 'Answer Given'):
                Complaint.close_invalid([complaint])
            complaint = Complaint(complaint.id)
            self.assertEqual(complaint.step, 'recorded')

            complaint.invalid_answer = (
                "The lamp is meant for indoor use; we explained why.")
            complaint.save()
            with on(THURSDAY + dt.timedelta(1)):
                Complaint.close_invalid([complaint])
            self.assertEqual(complaint.step, 'invalid')
            self.assertEqual(complaint.state, 'cancelled')
            self.assertEqual(complaint.answered_date, LABOUR_DAY)
            self.assertEqual(complaint.invalid_by.id, Transaction().user)
            self.assertTrue(complaint.invalid_at)
            self.assertFalse(complaint.overdue)

    @with_transaction()
    def test_c3_valid_complaint_not_closed_as_invalid(self):
        "C3: only a complaint judged not valid is closed that way"
        Complaint = Pool().get('sale.complaint')
        with new_company() as company:
            complaint = create_complaint(company)
            judge(complaint, invalid_answer="No.")
            with self.assertRaisesRegex(ComplaintError, 'judged not valid'):
                Complaint.close_invalid([complaint])

    @with_transaction()
    def test_c5_product_complaint_eight_steps_open_return(self):
        "C3, C5, C6: a product complaint through the eight steps with a return"
        pool = Pool()
        Complaint = pool.get('sale.complaint')
        FollowUp = pool.get('aftersales.service.follow_up')
        Employee = pool.get('company.employee')
        Lot = pool.get('stock.lot')
        ModelData = pool.get('ir.model.data')
        Party = pool.get('party.party')
        Responsibility = pool.get('aftersales.service.responsibility')
        user = Transaction().user
        with new_company(chart=True) as company:
            lamp, = create_products(company, count=1)
            lot = Lot(number='L2605', product=lamp)
            lot.save()
            office = create_sender("Xiamen Office")
            dealer = create_sender(
                "Xiamen Lamp Store", role='franchise_store', upstream=office)
            quality = create_user('quality', 'group_technical', company,
                email='quality@example.com')
            complaint = create_complaint(company)
            complaint.customer.service_member = True
            complaint.customer.save()
            self.assertEqual(complaint.step, 'recorded')
            self.assertEqual(complaint.recorded_by.id, user)

            # Step 2 refuses a complaint not judged
            with self.assertRaisesRegex(ComplaintError, 'judged valid'):
                Complaint.classify([complaint])
            judge(complaint, complaint_class='product', product=lamp,
                lot=lot, production_date=dt.date(2026, 1, 5),
                purchase_dealer=dealer, symptom="Flickers when warm.")
            Complaint.classify([complaint])
            self.assertEqual(complaint.step, 'classified')
            self.assertTrue(complaint.warranty_answer)
            self.assertFalse(complaint.visit_due)

            responsibility = Responsibility(ModelData.get_id(
                    'aftersales_service', 'responsibility_quality'))
            self.assertEqual(responsibility.department, 'quality')
            with self.assertRaisesRegex(ComplaintError, 'responsibility'):
                take(complaint, 'assign', assignment="To quality.")
            complaint.responsibility = responsibility
            complaint.responsible = quality
            complaint.save()
            take(complaint, 'assign', assignment="To quality.")
            with self.assertRaisesRegex(ComplaintError, 'Investigation'):
                take(complaint, 'investigate')
            take(complaint, 'investigate',
                investigation="A batch of ballasts runs hot.")

            Complaint.open_return([complaint])
            application = complaint.application
            self.assertEqual(application.sender, dealer)
            line, = application.lines
            self.assertEqual((line.product, line.lot), (lamp, lot))

            take(complaint, 'propose', solution="Replace the lamp.")
            self.assertEqual(complaint.state, 'waiting')
            # The customer hears the solution only once it is approved
            with self.assertRaisesRegex(ComplaintError, 'approved'):
                take(complaint, 'notify_customer', notice="Told by phone.")
            Complaint.approve([complaint])
            take(complaint, 'notify_customer', notice="Told by phone.")
            self.assertTrue(complaint.answered_date)

            worker = Employee(party=Party(name="Line Worker"),
                company=company)
            worker.party.save()
            worker.save()
            take(complaint, 'penalise',
                penalty="A warning for the line; the batch checker too.",
                penalised_employees=[('add', [worker.id])])
            take(complaint, 'improve',
                improvement="Ballasts tested warm from now on.")
            complaint = Complaint(complaint.id)
            self.assertEqual(complaint.step, 'improved')
            for step in ['classified', 'assigned', 'investigated', 'proposed',
                    'notified', 'penalised', 'improved']:
                self.assertEqual(
                    getattr(complaint, f'{step}_by').id, user, step)
                self.assertTrue(getattr(complaint, f'{step}_at'), step)
            self.assertEqual(complaint.penalised_employees, (worker,))
            # C6: the closed complaint of a member gets its follow-up call
            follow_up, = FollowUp.search([('origin', '=', str(complaint))])
            self.assertEqual(follow_up.customer, complaint.customer)

            # A button of another step does nothing
            Complaint.classify([complaint])
            self.assertEqual(Complaint(complaint.id).step, 'improved')

    @with_transaction()
    def test_c5_rejected_solution_proposed_again(self):
        "C5: a solution the manager rejects goes back to be proposed again"
        Complaint = Pool().get('sale.complaint')
        with new_company() as company:
            complaint = create_complaint(company)
            propose(complaint, "A voucher.")
            Complaint.reject([complaint])
            Complaint.draft([complaint])
            self.assertEqual(complaint.state, 'draft')
            self.assertEqual(complaint.step, 'investigated')
            self.assertIsNone(complaint.proposed_by)

    @with_transaction()
    def test_c3_bodily_harm_forces_visit_and_tells_management(self):
        "C3: bodily harm sets a visit due today and e-mails management"
        pool = Pool()
        Complaint = pool.get('sale.complaint')
        Email = pool.get('ir.email')
        with new_company() as company:
            create_user('vp', 'group_vice_president', company,
                email='vp@example.com')
            complaint = create_complaint(company, bodily_harm=True)
            judge(complaint, complaint_class='product')
            with on(THURSDAY):
                Complaint.classify([complaint])
            self.assertEqual(complaint.visit_due, THURSDAY)
            email, = Email.search([
                    ('resource', '=', str(complaint)),
                    ])
            self.assertIn('vp@example.com', email.recipients)
            self.assertIn(complaint.number, email.subject)

            with on(THURSDAY):
                self.assert_overdue(on_time=[complaint])
            with on(THURSDAY + dt.timedelta(1)):
                self.assert_overdue(overdue=[complaint])
            with self.assertRaisesRegex(ComplaintError, 'Visit Report'):
                Complaint.record_visit([complaint])
            complaint.visit_report = "Visited at the hospital; bills paid."
            complaint.save()
            Complaint.record_visit([complaint])
            self.assertTrue(complaint.visited_at)
            with on(THURSDAY + dt.timedelta(1)):
                self.assert_overdue(on_time=[complaint])

    @with_transaction()
    def test_c11_answer_on_fifth_working_day_on_time_sixth_late(self):
        "C11: 5 working days after a Thursday, over a holiday and a weekend"
        Complaint = Pool().get('sale.complaint')
        with new_company() as company:
            add_calendar_days(company, [(LABOUR_DAY, 'holiday')])
            on_time = create_complaint(company)
            late = create_complaint(company)
            # Mon 4, Tue 5, Wed 6, Thu 7, Fri 8 May
            self.assertEqual(on_time.reply_due, dt.date(2026, 5, 8))
            for complaint, day in [
                    (on_time, dt.date(2026, 5, 8)),
                    (late, dt.date(2026, 5, 11))]:
                propose(complaint, "A refund.")
                Complaint.approve([complaint])
                with on(day):
                    self.assertEqual(
                        Complaint(complaint.id).overdue,
                        complaint == late)
                    take(complaint, 'notify_customer', notice="Called.")
            self.assertFalse(Complaint(on_time.id).answered_late)
            self.assertTrue(Complaint(late.id).answered_late)
            with on(dt.date(2026, 5, 20)):
                self.assert_overdue(on_time=[on_time, late])

    @with_transaction()
    def test_c11_complex_complaint_progress_update(self):
        "C11: a complex complaint gets a progress update in its own days"
        Complaint = Pool().get('sale.complaint')
        with new_company() as company:
            complaint = create_complaint(company)
            judge(complaint, complex=True)
            Complaint.classify([complaint])
            # 2 working days: Fri 1, Mon 4 May
            self.assertEqual(complaint.progress_due, dt.date(2026, 5, 4))
            with on(dt.date(2026, 5, 5)):
                self.assert_overdue(overdue=[complaint])
            complaint.progress_note = "Waiting for the lab."
            complaint.save()
            Complaint.record_progress([complaint])
            self.assertTrue(complaint.progress_at)
            with on(dt.date(2026, 5, 5)):
                self.assert_overdue(on_time=[complaint])

    @with_transaction()
    def test_c11_overdue_filter_queries_do_not_grow(self):
        "C11: filtering N overdue complaints costs the same queries for any N"
        Complaint = Pool().get('sale.complaint')
        counts = {}
        with new_company() as company:
            for count in [1, 5, 40]:
                for _ in range(count):
                    create_complaint(company)
                with on(dt.date(2026, 6, 1)):
                    with count_queries() as counter:
                        overdue = Complaint.search([('overdue', '=', True)])
                        Complaint.read(
                            [c.id for c in overdue], ['overdue', 'step'])
                counts[count] = counter.count
                self.assertEqual(len(overdue), sum(
                        n for n in counts))
        self.assertEqual(counts[5], counts[40], counts)

    @with_transaction()
    def test_c3_complaint_form_printed_in_customer_language(self):
        "C3: the complaint form prints in the customer's zh_CN"
        pool = Pool()
        Complaint = pool.get('sale.complaint')
        zh_cn = load_translations(
            'zh_CN', 'sale_complaint', 'aftersales_warranty',
            'aftersales_service')
        with new_company() as company:
            complaint = create_complaint(company)
            complaint.customer.lang = zh_cn
            complaint.customer.save()
            judge(complaint)
            Complaint.classify([complaint])
            text = print_odt('sale.complaint.form', Complaint(complaint.id))
        self.assertIn("客户投诉单", text)
        self.assertIn("答复期限：", text)
        self.assertIn("2026-05-07", text)
        self.assertIn("服务质量", text)
        self.assertIn("Ceiling lamp", text)


class ComplaintEmailTestCase(ActivatedTestCase):
    "Test the deadline reminders through a real SMTP server"
    module = 'aftersales_service'

    def setUp(self):
        super().setUp()
        self.handler = start_smtp_server(self, 'service@example.com')

    @with_transaction()
    def test_c11_late_complaint_reminded_once_per_deadline(self):
        "C11: the job e-mails the responsible once per complaint, deadline"
        Complaint = Pool().get('sale.complaint')
        transaction = Transaction()
        with new_company() as company:
            quality = create_user('quality', 'group_technical', company,
                email='quality@example.com')
            complaint = create_complaint(company)
            judge(complaint, complex=True)
            Complaint.classify([complaint])
            complaint.responsible = quality
            complaint.save()
            transaction.commit()

            with on(dt.date(2026, 5, 5)):
                Complaint.notify_deadlines()
                self.assertEqual(self.handler.messages, [])
                run_queued_tasks()
            transaction.commit()
            recipients = [m.rcpt_tos for m in self.handler.messages]
            self.assertEqual(recipients, [['quality@example.com']])
            self.assertIn(
                complaint.number, self.handler.messages[0].content.decode())

            # The next run sends nothing new for the same deadline
            with on(dt.date(2026, 5, 6)):
                Complaint.notify_deadlines()
                run_queued_tasks()
            transaction.commit()
            self.assertEqual(len(self.handler.messages), 1)

            # The reply deadline is another reminder
            with on(dt.date(2026, 5, 12)):
                Complaint.notify_deadlines()
                run_queued_tasks()
                Complaint.notify_deadlines()
                run_queued_tasks()
            transaction.commit()
            self.assertEqual(len(self.handler.messages), 2)
