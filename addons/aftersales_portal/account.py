"The portal's account pages: log in and out, password reset, language"
from trytond.exceptions import RateLimitException, UserError
from trytond.pool import PoolMeta
from trytond.transaction import Transaction

from .page import LANGUAGE_COOKIE, LANGUAGES, SESSION_COOKIE, route


class WebUser(metaclass=PoolMeta):
    __name__ = 'web.user'

    def get_email_reset_password_url(self, url=None):
        "The e-mail links to the portal page that asked for it"
        if url is None:
            url = Transaction().context.get('aftersales_portal_password_url')
        return super().get_email_reset_password_url(url=url)


@route('', login=True)
def home(page):
    return page.render('home.html')


@route('login', methods=['GET', 'POST'], login=False)
def login(page):
    WebUser = page.pool.get('web.user')
    request = page.request
    next_url = page.local_url(
        request.values.get('next') or page.url())
    if request.method == 'GET':
        return page.render('login.html', next=next_url, email='')
    email = request.form.get('email', '').strip()
    password = request.form.get('password', '')
    try:
        user = WebUser.authenticate(email, password) if email else None
    except RateLimitException:
        return page.render('login.html', status=429, next=next_url,
            email=email, error=page.gettext('too_many_attempts'))
    if not user:
        return page.render('login.html', status=401, next=next_url,
            email=email, error=page.gettext('login_failed'))
    page.set_cookie(SESSION_COOKIE, user.new_session())
    return page.redirect_url(next_url)


@route('logout', methods=['POST'], login=False)
def logout(page):
    Session = page.pool.get('web.user.session')
    key = page.request.cookies.get(SESSION_COOKIE)
    if key:
        Session.remove(key)
    page.set_cookie(SESSION_COOKIE, '', max_age=0)
    return page.redirect('login')


@route('language/<code>', login=False)
def language(page, code):
    if code in dict(LANGUAGES):
        page.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 60 * 60)
    return page.redirect_url(page.local_url(page.request.args.get('next')))


@route('reset', methods=['GET', 'POST'], login=False)
def reset(page):
    "Send the link setting a new password to the e-mail given"
    WebUser = page.pool.get('web.user')
    if page.request.method == 'GET':
        return page.render('reset.html')
    email = page.request.form.get('email', '').strip().lower()
    users = WebUser.search([('email', '=', email)]) if email else []
    url = page.request.host_url.rstrip('/') + page.url('password')
    with Transaction().set_context(aftersales_portal_password_url=url):
        WebUser.reset_password(users)
    # The same answer whether the address is known or not
    return page.render('reset.html', sent=True)


@route('password', methods=['GET', 'POST'], login=False)
def password(page):
    "Set the new password of the reset link"
    User = page.pool.get('res.user')
    WebUser = page.pool.get('web.user')
    values = page.request.values
    email, token = values.get('email', ''), values.get('token', '')
    if page.request.method == 'GET':
        return page.render('password.html', email=email, token=token)
    new = page.request.form.get('password', '')
    error = None
    if not new or new != page.request.form.get('confirm', ''):
        error = page.gettext('passwords_differ')
    else:
        try:
            User.validate_password(
                new, WebUser.search([('email', '=', email.lower())]))
            if not WebUser.set_password_token(email, token, new):
                error = page.gettext('reset_link_invalid')
        except UserError as exception:
            Transaction().rollback()
            error = exception.message
    if error:
        return page.render('password.html', status=400, email=email,
            token=token, error=error)
    return page.redirect('login')
