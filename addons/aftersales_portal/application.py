"""The return application pages: file the party's returns with their
photos, sign and submit them, follow them and print their documents"""
import datetime as dt
import mimetypes

from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pyson import PYSONDecoder, PYSONEncoder
from trytond.transaction import Transaction

from .page import MB, find_record, route

PAGE_SIZE = 50
# The empty line rows of a new application's form, and the most it grows to
LINE_ROWS = 2
MAX_LINE_ROWS = 20
LINE_FIELDS = ['product', 'lot', 'quantity', 'reason', 'description',
    'delivery_date', 'unused', 'intact_packaging']
PHOTO_MAX_SIZE = 5 * MB
MAX_PHOTOS = 6
# The buttons of the model the page offers, in the states the model shows them
ACTIONS = ['sign', 'submit']
# The documents printed from the page: the report and when it exists
DOCUMENTS = {
    'registration_form': (
        'aftersales.rma.application.registration_form',
        lambda a: bool(a.form_number)),
    'receipt': (
        'aftersales.rma.application.receipt', lambda a: a.state == 'done'),
    }


def photo_type(data):
    "Return the MIME type of a JPEG, PNG or WebP picture by its content"
    if data.startswith(b'\xff\xd8\xff'):
        return 'image/jpeg'
    if data.startswith(b'\x89PNG\r\n\x1a\n'):
        return 'image/png'
    if data[:4] == b'RIFF' and data[8:12] == b'WEBP':
        return 'image/webp'


def answered_parties(page):
    """Return the web user's party and the dealers it answers for (W7):
    the parties its documents may name as sender or dealer"""
    Party = page.pool.get('party.party')
    if not page.party:
        return []
    return Party.search([
            ('id', 'in', Party.answered_for(page.party.id)),
            ('aftersales_role', 'not in', [None, 'consumer']),
            ], order=[('name', 'ASC'), ('id', 'ASC')])


def chosen_party(page, parties, value, message):
    "Return the party of parties whose id is value, or raise message"
    party = next((p for p in parties if str(p.id) == value), None)
    if not party:
        raise PageError(page.gettext(message))
    return party


def parse_date(page, value):
    "Return the date of the ISO value, None for an empty one"
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PageError(page.gettext('invalid_date', date=value))


class PageError(Exception):
    "A value of a form the page refuses, with its message"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def create_from_form(page, create, *args):
    """Return the record create(page, *args) makes of a form's values and
    None, or None and the message of the value refused: create raises
    PageError for a value the page refuses, UserError for one the model
    refuses, whose writes are then rolled back"""
    try:
        return create(page, *args), None
    except PageError as exception:
        return None, exception.message
    except UserError as exception:
        Transaction().rollback()
        return None, exception.message


@route('applications')
def applications(page):
    "The party's applications, newest first, by number when one is given"
    Application = page.pool.get('aftersales.rma.application')
    number = page.request.args.get('number', '').strip()
    domain = [('number', 'ilike', f'%{number}%')] if number else []
    records = Application.search(
        domain, order=[('date', 'DESC'), ('id', 'DESC')], limit=PAGE_SIZE)
    return page.render('applications.html', applications=records,
        number=number)


def _application(page, application_id):
    "Return the party's application of the id, else None"
    Application = page.pool.get('aftersales.rma.application')
    return find_record(Application, [('id', '=', application_id)])


def _shown(record, button):
    "Whether the model shows the button of record in its state"
    states = record._buttons[button]
    values = {n: getattr(record, n) for n in states.get('depends', [])}
    invisible = PYSONEncoder().encode(states.get('invisible', False))
    return not PYSONDecoder(values).decode(invisible)


@route('applications/<int:application_id>')
def application(page, application_id):
    "One application of the party, else the page of an unknown one"
    record = _application(page, application_id)
    if not record:
        return page.not_found()
    return _render_application(page, record)


def _render_application(page, record, status=200, error=None):
    "The page of the application record, with what it may do next"
    Attachment = page.pool.get('ir.attachment')
    try:
        lines = list(record.lines)
    except AccessError:
        return page.not_found()
    photos = Attachment.search([('resource', '=', str(record))],
        order=[('id', 'ASC')])
    return page.render('application.html', status=status, error=error,
        application=record, lines=lines, photos=photos,
        actions=[a for a in ACTIONS if _shown(record, a)],
        documents=[d for d, (_, available) in DOCUMENTS.items()
            if available(record)])


@route('applications/<int:application_id>/<any(sign, submit):action>',
    methods=['POST'])
def application_action(page, application_id, action):
    """Sign or submit the application with the model's button, in the
    states the model offers it (R4, R5)"""
    Application = page.pool.get('aftersales.rma.application')
    record = _application(page, application_id)
    if not record:
        return page.not_found()
    if not _shown(record, action):
        return _render_application(page, record, status=400,
            error=page.gettext('action_unavailable',
                state=record.state_string))
    try:
        getattr(Application, action)([record])
    except UserError as exception:
        Transaction().rollback()
        return _render_application(page, record, status=400,
            error=exception.message)
    return page.redirect(f'applications/{application_id}')


@route('applications/<int:application_id>/'
    '<any(registration_form, receipt):document>')
def application_document(page, application_id, document):
    """The registration form once approved, the receipt once done, in the
    language of their reader, as a download"""
    pool = page.pool
    record = _application(page, application_id)
    name, available = DOCUMENTS[document]
    if not record or not available(record):
        return page.not_found()
    Report = pool.get(name, type='report')
    extension, content, _, _ = Report.execute([record.id], {})
    filename = secure_filename(
        f'{record.form_number or record.number}-{document}.{extension}')
    content_type = (mimetypes.guess_type(filename)[0]
        or 'application/octet-stream')
    return Response(bytes(content), content_type=content_type, headers={
            'Content-Disposition': f'attachment; filename="{filename}"',
            })


@route('applications/<int:application_id>/photos/<int:photo_id>')
def application_photo(page, application_id, photo_id):
    "A photo of the application, as it was uploaded"
    Attachment = page.pool.get('ir.attachment')
    record = _application(page, application_id)
    if not record:
        return page.not_found()
    photo = find_record(Attachment, [
            ('id', '=', photo_id),
            ('resource', '=', str(record)),
            ])
    if not photo:
        return page.not_found()
    data = bytes(photo.data)
    return Response(data,
        content_type=photo_type(data) or 'application/octet-stream')


@route('applications/new', methods=['GET', 'POST'])
def new_application(page):
    """A new application of the party or a dealer it answers for, with its
    lines and photos (R4, W7)

    "Add a line" sends the form back with one more empty row; saving
    checks every value and writes nothing when one is refused.
    """
    pool = page.pool
    Reason = pool.get('aftersales.rma.reason')
    form = page.request.form
    senders = answered_parties(page)
    reasons = Reason.search([])
    values = _form_values(form) if page.request.method == 'POST' else {
        'sender': str(page.party.id) if page.party else '',
        'rows': LINE_ROWS, 'lines': []}

    def render(status=200, error=None):
        empty = values['rows'] - len(values['lines'])
        lines = values['lines'] + [{}] * empty
        return page.render('application_new.html', status=status,
            error=error, values=values, lines=lines, senders=senders,
            reasons=reasons, max_photos=MAX_PHOTOS,
            max_photo_mb=PHOTO_MAX_SIZE // MB)

    if page.request.method == 'GET':
        return render()
    if 'add_line' in form:
        values['rows'] = min(values['rows'] + 1, MAX_LINE_ROWS)
        return render()
    record, error = create_from_form(
        page, _create_application, values, senders, reasons)
    if error:
        return render(400, error)
    return page.redirect(f'applications/{record.id}')


# The photos come in the request: trytond's limit of a request without
# a back-office session is lower
new_application.max_request_size = (MAX_PHOTOS + 1) * PHOTO_MAX_SIZE


def _form_values(form):
    "Return the values typed in the new application's form"
    try:
        rows = int(form.get('rows', LINE_ROWS))
    except ValueError:
        rows = LINE_ROWS
    rows = max(1, min(rows, MAX_LINE_ROWS))
    lines = [{f: form.get(f'{f}_{i}', '').strip() for f in LINE_FIELDS}
        for i in range(rows)]
    return {
        'sender': form.get('sender', ''),
        'assessment': form.get('assessment', '').strip(),
        'special_request': form.get('special_request', '').strip(),
        'rows': rows,
        'lines': lines,
        }


def _create_application(page, values, senders, reasons):
    "Create the application of the form's values with its photos"
    pool = page.pool
    Application = pool.get('aftersales.rma.application')
    Attachment = pool.get('ir.attachment')
    Date = pool.get('ir.date')
    sender = chosen_party(page, senders, values['sender'], 'invalid_sender')
    photos = _photos(page)
    lines = _lines(page, values['lines'], reasons)
    today = Date.today()
    application = Application(
        sender=sender, sender_address=None, region=None, date=today,
        planned_date=today, special_approved_by=None,
        assessment=values['assessment'] or None,
        special_request=values['special_request'] or None,
        lines=lines)
    # The address, region and dispatch in the region's week, as the
    # back office's form sets them
    application.on_change_sender()
    application.save()
    Attachment.save([Attachment(resource=application, name=name, data=data)
            for name, data in photos])
    return application


def _lines(page, rows, reasons):
    "Return the unsaved lines of the rows typed, in one query per model"
    Line = page.pool.get('aftersales.rma.application.line')
    rows = [r for r in rows if any(r.get(f) for f in LINE_FIELDS
            if f not in {'unused', 'intact_packaging'})]
    if not rows:
        raise PageError(page.gettext('no_lines'))
    reasons = {str(r.id): r for r in reasons}
    cause = Line.default_cause()
    lines = []
    for row, (product, lot) in zip(rows, goods(page, rows)):
        quantity = parse_quantity(page, row['quantity'], product)
        if row['reason'] not in reasons:
            raise PageError(page.gettext('invalid_reason',
                    product=product.rec_name))
        lines.append(Line(
                product=product, lot=lot, quantity=quantity,
                unit=product.default_uom, reason=reasons[row['reason']],
                description=row['description'] or None, cause=cause,
                delivery_date=parse_date(page, row['delivery_date']),
                unused=bool(row['unused']),
                intact_packaging=bool(row['intact_packaging'])))
    return lines


def goods(page, rows):
    """Return [(product, lot or None)] of the product codes and the lot
    numbers or date codes of the rows, in one query per model

    Raise PageError for an unknown product or lot.
    """
    pool = page.pool
    Lot = pool.get('stock.lot')
    Product = pool.get('product.product')
    products = {p.code: p for p in Product.search([
                ('code', 'in', list({r['product'] for r in rows})),
                ('type', '=', 'goods'),
                ])}
    lot_texts = list({r['lot'] for r in rows if r['lot']})
    lots = Lot.search([
            ('product', 'in', [p.id for p in products.values()]),
            ['OR',
                ('number', 'in', lot_texts),
                ('date_code', 'in', lot_texts),
                ],
            ]) if lot_texts and products else []
    result = []
    for row in rows:
        product = products.get(row['product'])
        if not product:
            raise PageError(page.gettext('unknown_product',
                    code=row['product']))
        lot = None
        if row['lot']:
            lot = next((l for l in lots if l.product == product
                    and row['lot'] in {l.number, l.date_code}), None)
            if not lot:
                raise PageError(page.gettext('unknown_lot',
                        lot=row['lot'], product=product.rec_name))
        result.append((product, lot))
    return result


def parse_quantity(page, value, product):
    "Return the quantity of product typed as value, if above zero"
    try:
        quantity = float(value)
    except ValueError:
        quantity = 0
    if not quantity > 0:
        raise PageError(page.gettext('invalid_quantity',
                quantity=value, product=product.rec_name))
    return quantity


def _photos(page):
    """Return [(file name, content)] of the photos uploaded

    Each is a JPEG, PNG or WebP picture by its content, of at most
    PHOTO_MAX_SIZE bytes.
    """
    uploads = [u for u in page.request.files.getlist('photos') if u.filename]
    if len(uploads) > MAX_PHOTOS:
        raise PageError(page.gettext('too_many_photos', count=MAX_PHOTOS))
    photos = []
    for upload in uploads:
        data = upload.stream.read(PHOTO_MAX_SIZE + 1)
        name = secure_filename(upload.filename) or 'photo'
        if len(data) > PHOTO_MAX_SIZE:
            raise PageError(page.gettext('photo_too_big',
                    name=upload.filename,
                    size=PHOTO_MAX_SIZE // MB))
        if not photo_type(data):
            raise PageError(page.gettext('photo_type', name=upload.filename))
        photos.append((name, data))
    return photos
