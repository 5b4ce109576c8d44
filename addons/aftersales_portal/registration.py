"""The consumer registration pages: the purchases of consumers the party
or the dealers it answers for registered, and the form registering one"""
from .application import (
    PAGE_SIZE, PageError, answered_parties, chosen_party, create_from_form,
    goods, parse_date, parse_quantity)
from .page import route

FIELDS = ['dealer', 'name', 'phone', 'product', 'lot', 'quantity',
    'purchase_date', 'proof_of_purchase']


@route('registrations')
def registrations(page):
    "The registrations of the party's consumers, newest purchase first"
    Registration = page.pool.get('aftersales.warranty.registration')
    records = Registration.search([],
        order=[('purchase_date', 'DESC'), ('id', 'DESC')], limit=PAGE_SIZE)
    states = dict(Registration.fields_get(['state'])['state']['selection'])
    return page.render('registrations.html', registrations=records,
        states=states)


@route('registrations/new', methods=['GET', 'POST'])
def new_registration(page):
    """Register a consumer's purchase from the party or a dealer it answers
    for, with its proof of purchase: the warranty runs from its date (W1)"""
    dealers = answered_parties(page)
    form = page.request.form
    if page.request.method == 'GET':
        values = {f: '' for f in FIELDS}
        values.update(dealer=str(page.party.id) if page.party else '',
            quantity='1')
        return page.render('registration_new.html', values=values,
            dealers=dealers)
    values = {f: form.get(f, '').strip() for f in FIELDS}
    _, error = create_from_form(page, _register, values, dealers)
    if not error:
        return page.redirect('registrations')
    return page.render('registration_new.html', status=400, values=values,
        dealers=dealers, error=error)


def _register(page, values, dealers):
    "Create the consumer and the active registration of the form's values"
    pool = page.pool
    ContactMechanism = pool.get('party.contact_mechanism')
    Party = pool.get('party.party')
    Registration = pool.get('aftersales.warranty.registration')
    dealer = chosen_party(page, dealers, values['dealer'], 'invalid_dealer')
    for name in ['name', 'phone', 'product', 'purchase_date',
            'proof_of_purchase']:
        if not values[name]:
            raise PageError(page.gettext('field_required',
                    field=page.gettext(name)))
    purchase_date = parse_date(page, values['purchase_date'])
    (product, lot), = goods(page, [values])
    quantity = parse_quantity(page, values['quantity'], product)
    consumer = Party(name=values['name'], aftersales_role='consumer',
        addresses=[], contact_mechanisms=[ContactMechanism(
                type='mobile', value=values['phone'])])
    consumer.save()
    registration = Registration(
        source='manual', customer=consumer, dealer=dealer, product=product,
        lot=lot, quantity=quantity,
        purchase_date=purchase_date,
        proof_of_purchase=values['proof_of_purchase'])
    registration.on_change_lot()
    registration.save()
    Registration.activate([registration])
    return registration
