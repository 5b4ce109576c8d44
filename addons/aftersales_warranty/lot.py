import datetime as dt
import re

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

from .exceptions import DateCodeError

DATE_CODE_PATTERNS = {
    'YYMMDD': re.compile(r'^(\d{2})(\d{2})(\d{2})$'),
    'YYYYMMDD': re.compile(r'^(\d{4})(\d{2})(\d{2})$'),
    'YYWW': re.compile(r'^(\d{2})(\d{2})$'),
    }


def decode_date_code(code, format_):
    """Return the ex-factory date a date code gives

    Raise ValueError when the code does not read in format_. A YYWW code
    gives the Monday of its ISO week, the earliest day it can stand for.
    """
    match = DATE_CODE_PATTERNS[format_].match(code.strip())
    if not match:
        raise ValueError(code)
    numbers = [int(g) for g in match.groups()]
    if format_ == 'YYWW':
        return dt.date.fromisocalendar(2000 + numbers[0], numbers[1], 1)
    year, month, day = numbers
    if format_ == 'YYMMDD':
        year += 2000
    return dt.date(year, month, day)


def read_date_code(code, format_):
    "Return the date code read in format_, or None when it does not read"
    if code and format_:
        try:
            return decode_date_code(code, format_)
        except ValueError:
            return None


class Lot(metaclass=PoolMeta):
    __name__ = 'stock.lot'

    date_code = fields.Char(
        "Date Code",
        help="The date code printed on the product at manufacture.")
    ex_factory_date = fields.Function(
        fields.Date("Ex-Factory Date",
            help="The date the product left the factory, "
            "read from its date code."),
        'get_ex_factory_date')

    def get_ex_factory_date(self, name):
        format_, _ = self.product.template.get_date_coding()
        return read_date_code(self.date_code, format_)

    @classmethod
    def ex_factory_dates(cls, lots, products):
        """Return {lot id: ex-factory date} of lots, the values read of
        stock.lot with their product and date_code, whose products are in
        products: the date coding is looked up once per product, and no
        lot is instantiated"""
        formats = {p.id: p.template.get_date_coding()[0] for p in products}
        return {l['id']: read_date_code(l['date_code'], formats[l['product']])
            for l in lots}

    @classmethod
    def validate_fields(cls, lots, field_names):
        super().validate_fields(lots, field_names)
        if field_names & {'date_code', 'product'}:
            cls.check_date_code(lots)

    @classmethod
    def check_date_code(cls, lots):
        today = Pool().get('ir.date').today()
        for lot in lots:
            if not lot.date_code:
                continue
            format_, start = lot.product.template.get_date_coding()
            if not format_:
                raise DateCodeError(gettext(
                        'aftersales_warranty.msg_date_code_no_format',
                        lot=lot.rec_name, product=lot.product.rec_name))
            try:
                date = decode_date_code(lot.date_code, format_)
            except ValueError:
                raise DateCodeError(gettext(
                        'aftersales_warranty.msg_date_code_unreadable',
                        lot=lot.rec_name, code=lot.date_code,
                        format=format_))
            if date > today:
                raise DateCodeError(gettext(
                        'aftersales_warranty.msg_date_code_future',
                        lot=lot.rec_name, code=lot.date_code,
                        date=date))
            if start and date < start:
                raise DateCodeError(gettext(
                        'aftersales_warranty.msg_date_code_before_start',
                        lot=lot.rec_name, code=lot.date_code, date=date,
                        start=start))
