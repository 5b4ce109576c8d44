"""The portal's pages: session, language, CSRF token and rendering

Every page is a function of a Page, routed by `route`: it runs in one
transaction as the portal's user, scoped by the record rules to the party of
the web user whose session cookie came with the request.
"""
import hmac
import os
import secrets
from contextlib import contextmanager
from functools import wraps
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from trytond.i18n import gettext
from trytond.protocols.wrappers import abort, with_pool, with_transaction
from trytond.transaction import Transaction, check_access
from trytond.wsgi import app

from .rule import portal_user_id

SESSION_COOKIE = 'aftersales_portal_session'
CSRF_COOKIE = 'aftersales_portal_csrf'
LANGUAGE_COOKIE = 'aftersales_portal_language'
MB = 1024 * 1024
# The languages of the pages, each named in itself
LANGUAGES = [('zh_CN', "简体中文"), ('zh_TW', "繁體中文"), ('en', "English")]
SECURITY_HEADERS = {
    'Content-Security-Policy': (
        "default-src 'self'; script-src 'none'; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    }

templates = Environment(
    loader=FileSystemLoader(
        os.path.join(os.path.dirname(__file__), 'templates')),
    autoescape=True)


def find_record(Model, domain):
    "Return the record of Model the domain finds, else None"
    records = Model.search(domain)
    return records[0] if records else None


def route(path, methods=('GET',), login=True):
    """Route the page function under /<database>/portal/path

    A POST without the form's CSRF token is refused. A page needing a
    login sends the visitor without a session to the login page, and runs
    as the portal's user; the others (the account pages) run as the
    server's.
    """
    def decorator(func):
        @app.route('/<database_name>/portal/' + path, methods=list(methods))
        @with_pool
        @with_transaction()
        @wraps(func)
        def endpoint(request, pool, **kwargs):
            page = Page(request, pool)
            if request.method == 'POST':
                try:
                    page.check_csrf()
                except RequestEntityTooLarge:
                    return page.finish(page.too_large())
            if not login:
                response = func(page, **kwargs)
            elif not page.user:
                response = page.redirect(
                    'login', next=request.full_path.rstrip('?'))
            else:
                with page.as_portal():
                    response = func(page, **kwargs)
            return page.finish(response)
        return endpoint
    return decorator


class Page:
    "One request to the portal"

    def __init__(self, request, pool):
        self.request = request
        self.pool = pool
        self.database_name = pool.database_name
        self._cookies = {}
        self.user = self._web_user()
        self.language = self._language()
        self.csrf_token = request.cookies.get(CSRF_COOKIE)
        if not self.csrf_token:
            self.csrf_token = secrets.token_urlsafe(32)
            self.set_cookie(CSRF_COOKIE, self.csrf_token)

    def _web_user(self):
        key = self.request.cookies.get(SESSION_COOKIE)
        if key:
            return self.pool.get('web.user').get_user(key)

    def _language(self):
        "The language chosen, else the party's, else the browser's"
        codes = [c for c, _ in LANGUAGES]
        chosen = self.request.cookies.get(LANGUAGE_COOKIE)
        if chosen in codes:
            return chosen
        if self.user and self.user.party and self.user.party.lang:
            if self.user.party.lang.code in codes:
                return self.user.party.lang.code
        accepted = self.request.accept_languages.best_match(
            [c.replace('_', '-') for c in codes])
        return accepted.replace('-', '_') if accepted else codes[0]

    @property
    def party(self):
        return self.user.party if self.user else None

    @contextmanager
    def as_portal(self):
        "Run as the portal's user, in the page's language and party"
        User = self.pool.get('res.user')
        transaction = Transaction()
        user_id = portal_user_id()
        context = User.portal_context()
        context.update(
            language=self.language,
            aftersales_portal_party=self.party.id if self.party else 0)
        with transaction.set_user(user_id), \
                transaction.set_context(context), check_access():
            yield

    def check_csrf(self):
        "Refuse a form posted without the token its page carried"
        token = self.request.form.get('csrf_token', '')
        if not (self.request.cookies.get(CSRF_COOKIE)
                and hmac.compare_digest(token, self.csrf_token)):
            abort(403, gettext('aftersales_portal.msg_csrf'))

    def url(self, path='', **query):
        url = f'/{self.database_name}/portal/{path}'
        if query:
            url += '?' + urlencode(query)
        return url

    def local_url(self, url):
        "Return url if it is a page of this portal, else the home page"
        if url and url.startswith(self.url()) and '//' not in url:
            return url
        return self.url()

    def set_cookie(self, name, value, max_age=None):
        self._cookies[name] = (value, max_age)

    def gettext(self, key, **variables):
        "The text of the page message key in the page's language"
        with Transaction().set_context(language=self.language):
            return gettext(f'aftersales_portal.msg_page_{key}', **variables)

    def format_date(self, date):
        if date is None:
            return ''
        Lang = self.pool.get('ir.lang')
        return Lang.get(self.language).strftime(date)

    def format_quantity(self, quantity, unit):
        "Return quantity written with the digits and the symbol of unit"
        Lang = self.pool.get('ir.lang')
        return Lang.get(self.language).format_number_symbol(
            quantity, unit, digits=unit.digits)

    def render(self, template, status=200, **values):
        html = templates.get_template(template).render(
            page=self, _=self.gettext, languages=LANGUAGES, **values)
        return Response(
            html, status=status, content_type='text/html; charset=utf-8')

    def redirect(self, path, **query):
        return self.redirect_url(self.url(path, **query))

    def redirect_url(self, url):
        return redirect(url, code=303)

    def not_found(self):
        return self.render('error.html', status=404,
            message=self.gettext('not_found'))

    def too_large(self):
        size = self.request.max_content_length // MB
        return self.render('error.html', status=413,
            message=self.gettext('too_large', size=size))

    def finish(self, response):
        "Add the cookies and the security headers to the response"
        for name, (value, max_age) in self._cookies.items():
            response.set_cookie(
                name, value, max_age=max_age, path=self.url(),
                secure=self.request.is_secure, httponly=True,
                samesite='Lax')
        response.headers.update(SECURITY_HEADERS)
        return response
