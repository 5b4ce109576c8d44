import shlex
import shutil

import trytond.config as config
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report


class AftersalesReport(Report):
    """A printed document of the after-sales modules

    Its template starts each record with::

        <with vars="lang = reader_lang(party, company)">
        <replace text:p="set_lang(lang)">
        <replace text:p="record.set_lang(lang)">

    and writes dates with format_date(date, lang) and booleans with
    yes_no(value, lang). It is printed in the format of its action (PDF)
    where LibreOffice is installed, in its template's format otherwise.
    """

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        default = Pool().get('ir.lang').get()
        context['reader_lang'] = (
            lambda party, company: cls.reader_lang(party, company, default))
        context['yes_no'] = cls.yes_no
        return context

    @classmethod
    def reader_lang(cls, party, company, default=None):
        "Return the language of party, else of the company's, else default"
        return party.lang or company.party.lang or default

    @classmethod
    def yes_no(cls, value, lang=None):
        "Return Yes or No in lang (the transaction's language by default)"
        message = ('aftersales_warranty.msg_report_yes' if value
            else 'aftersales_warranty.msg_report_no')
        if lang:
            return gettext(message, lang.code)
        return gettext(message)

    @classmethod
    def converter(cls):
        "Return the path of the program that converts reports, None if absent"
        command = config.get('report', 'convert_command', default='soffice')
        return shutil.which(shlex.split(command)[0])

    @classmethod
    def convert(cls, report, data, **kwargs):
        if not cls.converter():
            return report.template_extension, data
        return super().convert(report, data, **kwargs)
