"""The portal's return applications and consumer registrations, posted as
a browser does: create with lines and photos, sign, submit, print, and the
party scope of every id a form carries (R4, R5, W7)"""
import datetime as dt
import io
import re
from unittest import mock

import pytest

from proteus import Model
from trytond.modules.aftersales_repair_network.tests.test_reports import (
    odt_text)
from trytond.modules.aftersales_warranty.tests.demo import (
    channel_party, company_today, lot_number)
from trytond.modules.aftersales_warranty.report import AftersalesReport

from trytond.modules.aftersales_portal.tests.client import login, text, url
from trytond.modules.aftersales_portal.tests.demo import OTHER_STORE, STORE

PNG = b'\x89PNG\r\n\x1a\n' + b'\0' * 64
WEBP = b'RIFF\x24\0\0\0WEBPVP8 ' + b'\0' * 32
MB = 1024 * 1024


def token(client):
    return client.get_cookie('aftersales_portal_csrf', path=url()).value


def quality_reason():
    Reason = Model.get('aftersales.rma.reason')
    reason, = Reason.find([('quality', '=', True)], limit=1)
    return reason


def return_form(client, sender=None, **lines):
    """The fields of a new application of two lamps the Guangzhou store
    was delivered 12 days ago, with lines' values replaced by lines"""
    today = company_today()
    reason = quality_reason()
    form = {
        'csrf_token': token(client),
        'sender': str(sender or channel_party('store_guangzhou').id),
        'assessment': "Two lamps do not light.",
        'rows': '2',
        'product_0': 'CFL-18', 'lot_0': lot_number('CFL-18', 4, today),
        'quantity_0': '2', 'reason_0': str(reason.id),
        'description_0': "Does not light",
        'product_1': 'RL-13', 'lot_1': lot_number('RL-13', 4, today),
        'quantity_1': '1', 'reason_1': str(reason.id),
        'description_1': "Flickers",
        }
    form.update(lines)
    return form


def post_return(client, form, photos=()):
    "Post the new application's form with photos [(name, bytes)]"
    data = dict(form)
    data['photos'] = [(io.BytesIO(content), name) for name, content in photos]
    return client.post(url('applications/new'), data=data,
        content_type='multipart/form-data')


def count_written():
    "The number of applications, their lines and attachments, and parties"
    return tuple(len(Model.get(m).find([])) for m in [
            'aftersales.rma.application', 'aftersales.rma.application.line',
            'ir.attachment', 'party.party',
            'aftersales.warranty.registration'])


def post_writing_nothing(status, photos=(), sender=None, **lines):
    """Post the store's new application of return_form(sender, lines) with
    photos; assert the answer has status and nothing was written; return
    the response"""
    client = login(STORE)
    client.get(url('applications/new'))
    before = count_written()
    response = post_return(
        client, return_form(client, sender, **lines), photos=photos)
    assert response.status_code == status, text(response)[-300:]
    assert count_written() == before
    return response


def created_id(response):
    assert response.status_code == 303, text(response)[-500:]
    return int(re.search(r'applications/(\d+)$',
            response.headers['Location']).group(1))


@pytest.fixture(scope='module')
def store_return(config):
    "The id of an application the Guangzhou store filed on the portal"
    client = login(STORE)
    client.get(url('applications/new'))
    response = post_return(client, return_form(client),
        photos=[('lamp.png', PNG), ('cap.webp', WEBP)])
    return created_id(response)


def test_r4_create_return_with_two_lines_and_photos(config, store_return):
    "R4: a new application, its two lines and its photos"
    Application = Model.get('aftersales.rma.application')
    Attachment = Model.get('ir.attachment')
    application = Application(store_return)
    assert application.sender == channel_party('store_guangzhou')
    assert application.state == 'draft'
    assert [(l.product.code, l.quantity) for l in application.lines] == [
        ('CFL-18', 2), ('RL-13', 1)]
    assert application.region and application.planned_date
    photos = Attachment.find([('resource', '=', str(application))])
    assert sorted(p.name for p in photos) == ['cap.webp', 'lamp.png']
    client = login(STORE)
    page = client.get(url(f'applications/{store_return}'))
    assert page.status_code == 200
    assert 'lamp.png' in text(page) and 'id="sign"' in page.text
    assert re.search(r'<td>2\xa0[^<\d]+</td>', page.text), "2 units, no .0"
    photo = next(p for p in photos if p.name == 'lamp.png')
    response = client.get(
        url(f'applications/{store_return}/photos/{photo.id}'))
    assert response.data == PNG
    assert response.content_type == 'image/png'
    assert login(OTHER_STORE).get(
        url(f'applications/{store_return}/photos/{photo.id}')
        ).status_code == 404


def test_add_line_renders_one_more_row(config):
    response = post_writing_nothing(200, add_line='1')
    assert 'name="product_2"' in response.text
    assert 'value="Does not light"' in response.text


@pytest.mark.parametrize('name,content,message', [
        ('notes.jpg', b'plain text, not a picture', '不是 JPEG、PNG 或 WebP'),
        ('huge.jpg', b'\xff\xd8\xff' + b'\0' * (5 * MB), '超过 5 MB'),
        ])
def test_bad_upload_is_refused_and_writes_nothing(
        config, name, content, message):
    "A file that is no picture by its content, or too big, is refused"
    response = post_writing_nothing(
        400, photos=[('lamp.png', PNG), (name, content)])
    assert message in text(response)


def test_oversized_form_is_refused_translated_and_writes_nothing(config):
    "A form larger than all the photos allowed gets a translated refusal"
    response = post_writing_nothing(
        413, photos=[('huge.jpg', b'\xff\xd8\xff' + b'\0' * (36 * MB))])
    assert '提交的表单过大：连同照片最多 35 MB' in text(response)


@pytest.mark.parametrize('lines,message', [
        ({'reason_1': ''}, '请选择'),
        ({'quantity_0': '-1'}, '不是大于零的数字'),
        ({'product_1': 'NO-SUCH'}, '没有编码为“NO-SUCH”的产品'),
        ({'lot_0': 'NO-LOT'}, '“NO-LOT”'),
        ({'delivery_date_0': '2026-02-30'}, '2026-02-30'),
        ({'product_0': '', 'lot_0': '', 'quantity_0': '', 'reason_0': '',
                'description_0': '', 'product_1': '', 'lot_1': '',
                'quantity_1': '', 'reason_1': '', 'description_1': ''},
            '至少填写一行'),
        ])
def test_invalid_field_is_refused_and_writes_nothing(config, lines, message):
    response = post_writing_nothing(
        400, photos=[('lamp.png', PNG)], **lines)
    assert message in text(response)


def test_model_refusal_is_shown_and_writes_nothing(config):
    "The model's own check (a delivery after the application) is shown"
    later = (company_today() + dt.timedelta(days=30)).isoformat()
    response = post_writing_nothing(
        400, photos=[('lamp.png', PNG)], delivery_date_0=later)
    assert 'class="error"' in response.text


@pytest.mark.parametrize('party', ['office_shanghai', 'office_guangzhou'])
def test_w7_sender_cannot_be_forged(config, party):
    """W7: a store cannot send as another party, nor as the office that
    answers for it, by a forged form value"""
    response = post_writing_nothing(400, sender=channel_party(party).id)
    assert '只能以本单位或其负责的经销商名义退货' in text(response)


def sub_distributors(office):
    "The sub-distributors of the stores answering to office"
    Party = Model.get('party.party')
    return Party.find([('upstream.upstream', '=', channel_party(office).id)])


def test_w7_office_sends_for_its_store(config):
    "W7: the office's form offers the stores it answers for"
    client = login('guangzhou@example.com')
    page = client.get(url('applications/new')).text
    senders = set(re.findall(r'<option value="(\d+)"', page.split(
                'name="sender"')[1].split('</select>')[0]))
    assert senders == {str(channel_party(p).id) for p in [
            'office_guangzhou', 'store_guangzhou', 'store_shenzhen']} | {
        str(p.id) for p in sub_distributors('office_guangzhou')}


def test_w7_other_party_cannot_act_on_an_application(config, store_return):
    "W7: another store's posted id signs, submits and prints nothing"
    Application = Model.get('aftersales.rma.application')
    state = Application(store_return).state
    client = login(OTHER_STORE)
    client.get(url('applications'))
    for action in ['sign', 'submit']:
        response = client.post(
            url(f'applications/{store_return}/{action}'),
            data={'csrf_token': token(client)})
        assert response.status_code == 404
    for document in ['registration_form', 'receipt']:
        assert client.get(url(f'applications/{store_return}/{document}')
            ).status_code == 404
    assert Application(store_return).state == state


def test_r4_r5_sign_then_submit(config, store_return):
    """R4, R5: the store signs then submits, each offered only in the
    states that allow it"""
    Application = Model.get('aftersales.rma.application')
    client = login(STORE)
    client.get(url(f'applications/{store_return}'))
    response = client.post(url(f'applications/{store_return}/sign'),
        data={'csrf_token': token(client)})
    assert response.status_code == 303, text(response)[-300:]
    assert Application(store_return).state == 'signed'
    # Signing twice is not offered
    response = client.post(url(f'applications/{store_return}/sign'),
        data={'csrf_token': token(client)})
    assert response.status_code == 400
    assert '不能执行此操作' in text(response)
    page = client.get(url(f'applications/{store_return}')).text
    assert 'id="sign"' not in page and 'id="submit"' in page
    response = client.post(url(f'applications/{store_return}/submit'),
        data={'csrf_token': token(client)})
    assert response.status_code == 303, text(response)[-300:]
    application = Application(store_return)
    assert application.state == 'submitted'
    assert application.freight_payer == 'company'
    page = client.get(url(f'applications/{store_return}')).text
    assert 'id="submit"' not in page
    # Nothing to print before the approval
    assert client.get(url(f'applications/{store_return}/registration_form')
        ).status_code == 404


def test_r4_sign_without_assessment_is_refused(config):
    "R4: the manager signs an assessment: the model's refusal is shown"
    client = login(STORE)
    client.get(url('applications/new'))
    form = return_form(client, assessment='')
    application_id = created_id(post_return(client, form))
    response = client.post(url(f'applications/{application_id}/sign'),
        data={'csrf_token': token(client)})
    # The model asks for the manager's assessment before the signature
    assert response.status_code == 400
    assert 'class="error"' in response.text
    Application = Model.get('aftersales.rma.application')
    assert Application(application_id).state == 'draft'


def print_document(client, application_id, document):
    "Return the text of the document printed as ODT"
    with mock.patch.object(AftersalesReport, 'converter', return_value=None):
        response = client.get(
            url(f'applications/{application_id}/{document}'))
    assert response.status_code == 200, text(response)[-300:]
    assert 'attachment' in response.headers['Content-Disposition']
    return odt_text(response.data)


def test_registration_form_in_the_senders_language(
        config, store_return, act_as):
    """R4: once customer service approved it, the registration form prints
    in the language of its reader, the sender"""
    Application = Model.get('aftersales.rma.application')
    Lang = Model.get('ir.lang')
    client = login(STORE)
    application = Application(store_return)
    for action, states in [('sign', ['draft']),
            ('submit', ['draft', 'signed'])]:
        if application.state in states:
            client.get(url(f'applications/{store_return}'))
            client.post(url(f'applications/{store_return}/{action}'),
                data={'csrf_token': token(client)})
            application.reload()
    assert application.state == 'submitted'
    act_as('aftersales_warranty', 'group_customer_service')
    application.click('approve')
    page = client.get(url(f'applications/{store_return}'))
    assert 'id="documents"' in page.text
    content = print_document(client, store_return, 'registration_form')
    assert '申请单号：' in content
    assert Application(store_return).form_number in content

    store = channel_party('store_guangzhou')
    language = store.lang
    store.lang, = Lang.find([('code', '=', 'zh_TW')])
    store.save()
    try:
        content = print_document(client, store_return, 'registration_form')
    finally:
        store.lang = language
        store.save()
    assert '申請單號：' in content
    # The receipt comes once the return is done
    assert client.get(url(f'applications/{store_return}/receipt')
        ).status_code == 404


def test_receipt_of_a_done_return(config):
    "R9: the receipt of the demo's done return, for its office"
    Application = Model.get('aftersales.rma.application')
    done, = Application.find([('state', '=', 'done')], limit=1)
    client = login('shanghai@example.com')
    page = client.get(url(f'applications/{done.id}')).text
    assert 'receipt' in page
    content = print_document(client, done.id, 'receipt')
    assert done.number in content


def registration_form(client, **values):
    today = company_today()
    form = {
        'csrf_token': token(client),
        'dealer': str(channel_party('store_guangzhou').id),
        'name': "周敏", 'phone': '13800138999', 'product': 'CFL-18',
        'lot': lot_number('CFL-18', 4, today), 'quantity': '1',
        'purchase_date': (today - dt.timedelta(days=2)).isoformat(),
        'proof_of_purchase': 'R-2026-118',
        }
    form.update(values)
    return form


def test_w1_register_a_consumers_purchase(config):
    "W1: the store registers a consumer's purchase: the warranty runs"
    Registration = Model.get('aftersales.warranty.registration')
    client = login(STORE)
    client.get(url('registrations/new'))
    response = client.post(url('registrations/new'),
        data=registration_form(client))
    assert response.status_code == 303, text(response)[-300:]
    registration, = Registration.find([
            ('proof_of_purchase', '=', 'R-2026-118')])
    assert registration.state == 'active'
    assert registration.dealer == channel_party('store_guangzhou')
    assert registration.customer.aftersales_role == 'consumer'
    assert registration.lines
    assert '周敏' in text(client.get(url('registrations')))
    # W7: another store does not see it
    assert '周敏' not in text(login(OTHER_STORE).get(url('registrations')))
    # Its office does
    assert '周敏' in text(
        login('guangzhou@example.com').get(url('registrations')))


@pytest.mark.parametrize('values,message', [
        ({'dealer': 'office_shanghai'}, '只能为本单位或其负责的经销商登记'),
        ({'name': ''}, '为必填项'),
        ({'product': 'NO-SUCH'}, 'NO-SUCH'),
        ({'quantity': '0'}, '不是大于零的数字'),
        ({'purchase_date': 'soon'}, 'soon'),
        ({'purchase_date': '2099-01-01'}, 'class="error"'),
        ])
def test_invalid_registration_writes_nothing(config, values, message):
    "An invalid value, or one the model refuses, writes nothing"
    client = login(STORE)
    client.get(url('registrations/new'))
    if 'dealer' in values:
        values = {'dealer': str(channel_party(values['dealer']).id)}
    before = count_written()
    response = client.post(url('registrations/new'),
        data=registration_form(client, **values))
    assert response.status_code == 400
    assert message in response.text or message in text(response)
    assert count_written() == before
