"""Requests to the portal's pages as a browser sends them, for the tests

A werkzeug Client on trytond's WSGI application, logged in as a demo web
user, and the count of the SQL queries a request sends.
"""
import re
from contextlib import contextmanager
from unittest import mock

from werkzeug.test import Client

from trytond import backend
from trytond.modules.aftersales_warranty.tests.demo import USER_PASSWORD
from trytond.tests.test_tryton import DB_NAME
from trytond.wsgi import app


class Browser(Client):
    "A client sending the languages of its browser"

    def __init__(self, language='zh-CN'):
        super().__init__(app)
        self.language = language

    def open(self, *args, **kwargs):
        kwargs.setdefault('headers', {})['Accept-Language'] = self.language
        return super().open(*args, **kwargs)


def url(path=''):
    return f'/{DB_NAME}/portal/{path}'


def login(email, password=USER_PASSWORD, language='zh-CN'):
    "Return a client logged in as email"
    client = Browser(language)
    client.get(url('login'))
    token = client.get_cookie('aftersales_portal_csrf', path=url()).value
    response = client.post(url('login'), data={
            'email': email, 'password': password, 'csrf_token': token,
            })
    assert response.status_code == 303, response.text
    return client


def text(response):
    "The page's text, without its tags"
    return re.sub(r'<[^>]+>', ' ', response.get_data(as_text=True))


@contextmanager
def count_queries():
    """Count the SQL queries sent meanwhile on any connection of the
    backend, as a request's transaction opens its own: yield the counter,
    a list of the statements"""
    statements = []
    if backend.name == 'sqlite':
        from trytond.backend.sqlite.database import SQLiteCursor as Cursor
    else:
        from trytond.backend.postgresql.database import (
            LoggingCursor as Cursor)
    execute = Cursor.execute

    def counting(self, query, *args, **kwargs):
        statements.append(query)
        return execute(self, query, *args, **kwargs)
    with mock.patch.object(Cursor, 'execute', counting):
        yield statements
