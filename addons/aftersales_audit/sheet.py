"""One sheet of the monthly management workbook

A model that gives a sheet to the workbook has a classmethod
``workbook_sheet(company, start, end)`` returning a Sheet of the company's
figures between the dates start and end, both included.
"""
import datetime as dt
from collections import namedtuple

from trytond.pool import Pool

# header: the translated column title; kind: 'char', 'integer', 'number',
# 'amount', 'percent' or 'date', which gives the cell format
Column = namedtuple('Column', ['header', 'kind'])
# kind: the xlsxwriter chart type ('column', 'line', 'pie', ...);
# category: the index of the column naming the points; values: the indexes
# of the columns charted
Chart = namedtuple('Chart', ['kind', 'category', 'values'])


class Sheet:
    """A titled table: its columns, its rows as tuples in the columns'
    order (any iterable, read once, for instance a cursor) and maybe a
    chart of its rows"""
    __slots__ = ('title', 'columns', 'rows', 'chart')

    def __init__(self, title, columns, rows, chart=None):
        self.title = title
        self.columns = columns
        self.rows = rows
        self.chart = chart


def model_sheet(Model, kinds, rows, chart=None):
    """Return the sheet of rows titled by the name of Model, whose columns
    are the fields of the (name, kind) pairs of kinds, headed by their
    strings in the reader's language"""
    title = Pool().get('ir.model').get_name(Model.__name__)
    strings = Model.fields_get([n for n, _ in kinds])
    columns = [Column(strings[n]['string'], k) for n, k in kinds]
    return Sheet(title, columns, rows, chart)


def dated_where(company, date, company_id, start, end):
    """Return the SQL condition that the company column is company_id and
    the date column from start to end, both included, when given"""
    where = company == company_id
    if start:
        where &= date >= start
    if end:
        where &= date <= end
    return where


def sql_date(value):
    "Return the date value read from SQL: SQLite gives computed ones as text"
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value
