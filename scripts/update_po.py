"""Update the zh_CN and zh_TW translation files of our modules.

Usage (from the project root)::

    .venv/bin/python scripts/update_po.py <module> [<module> ...]
    .venv/bin/python scripts/update_po.py --check <module> [<module> ...]
    .venv/bin/python scripts/update_po.py --all [--check]

For the given modules (folders under addons/, installed in the virtualenv),
it activates them with their dependencies in a throw-away in-memory SQLite
database, then does what ``trytond-admin --export-translations`` does:
the "Set Translations" and "Clean Translations" wizards, "Update
Translations" for each language, and ``ir.translation.translation_export``.
It writes ``addons/<module>/locale/zh_CN.po`` and ``zh_TW.po``, keeping
every existing msgstr whose msgctxt + msgid still exist and dropping the
entries that no longer exist. A kept entry flagged fuzzy stays fuzzy.
For each file it prints the number of entries, translated and missing.

Then fill the empty msgstr by hand (zh_CN Simplified, zh_TW Traditional,
Taiwan usage; the glossary is at the end of /work/shared/RULEBOOK.md) and
remove any "#, fuzzy" flag once the msgstr is right: Tryton ignores fuzzy
translations.

Strings of Tryton's own modules that their po files leave untranslated go by
hand into ``addons/<module>/locale/override/<lang>.po`` (trytond loads it
after ``locale/<lang>.po``); this script leaves those files alone.

With ``--check`` nothing is written: the exit status is 1 when a file is
missing or out of date (entries to add or drop) or has an empty or fuzzy
msgstr. tests/test_translations.py checks the files without a database.

The .po format (msgctxt is ``type:name:res_id``)::

    field:<model>,<field>:               a field's label
    help:<model>,<field>:                a field's help text
    selection:<model>,<field>:           a selection value (msgid = label)
    model:<model>,name:                  a model's description
    model:<model>,<field>:<xml id>       a record's translatable field,
                                         e.g. model:ir.message,text:msg_x,
                                         model:ir.ui.menu,name:menu_x,
                                         model:ir.action,name:act_x,
                                         model:res.group,name:group_x
    view:<model>:                        a string / help / confirm of a view
    wizard_button:<wizard>,<state>,<button>:
    report:<report name>:                a text of an .fodt report

The modules must be installed in the virtualenv (make install). The
database cache (DB_CACHE) is never used: its key is only the module names,
so it would export stale strings. It takes about 40 s (the activation).

To load the files into a database: trytond-admin -c CONF -d DB -u <module>
-l zh_CN zh_TW (one -l: a second -l replaces the first). Tryton 8.0 has no
zh_TW ir.lang record: aftersales_warranty creates it.
"""
import argparse
import os
import sys
from pathlib import Path

os.environ['TRYTOND_DATABASE_URI'] = 'sqlite://'
os.environ['DB_NAME'] = ':memory:'
os.environ.pop('DB_CACHE', None)

import polib  # noqa: E402
from lxml import etree  # noqa: E402

from trytond.pool import Pool  # noqa: E402
from trytond.tests.test_tryton import DB_NAME, activate_module  # noqa: E402
from trytond.transaction import Transaction  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / 'addons'
ODF_NS = {
    'draw': 'urn:oasis:names:tc:opendocument:xmlns:drawing:1.0',
    'xlink': 'http://www.w3.org/1999/xlink',
    }
LANGUAGES = ['zh_CN', 'zh_TW']


def run_wizard(name, data, state, records=None):
    Wizard = Pool().get(name, type='wizard')
    context = {}
    if records:
        context = {'active_model': records[0].__name__,
            'active_id': records[0].id,
            'active_ids': [r.id for r in records]}
    with Transaction().set_context(context):
        session_id, _, _ = Wizard.create()
        try:
            Wizard.execute(session_id, data, state)
        finally:
            Wizard.delete(session_id)


def lenient_extract(extract):
    "Retry a report that misses ODF namespace declarations relatorio needs"
    def method(self, content):
        try:
            return list(extract(self, content))
        except etree.XPathEvalError as exception:
            root = etree.fromstring(content)
            missing = ''.join(f' xmlns:{p}="{u}"' for p, u in ODF_NS.items()
                if p not in root.nsmap)
            print(f"WARNING: relatorio cannot open a report ({exception}), "
                f"so it cannot be printed: its root element lacks{missing}",
                file=sys.stderr)
            content = content.replace(
                b'<office:document ', b'<office:document' + missing.encode()
                + b' ', 1)
            return list(extract(self, content))
    return method


def with_extras(modules):
    """Return modules and their extras_depend found under addons/

    The classes registered for an extra dependency are the module's too, so
    their strings go into its po files.
    """
    from trytond.modules import get_module_info
    extras = {e for m in modules for e in get_module_info(m).get(
                'extras_depend', [])
        if (ADDONS / e / 'tryton.cfg').exists()}
    return list(modules) + sorted(extras - set(modules))


def export(modules):
    "Return {(module, lang): po file text or None} from a fresh database"
    activate_module(with_extras(modules))
    result = {}
    with Transaction().start(DB_NAME, 0, close=True):
        pool = Pool()
        Lang = pool.get('ir.lang')
        Set = pool.get('ir.translation.set', type='wizard')
        for ext in ['odt', 'odp', 'ods', 'odg']:
            setattr(Set, f'extract_report_{ext}',
                lenient_extract(Set.extract_report_opendocument))
        Report = pool.get('ir.action.report')
        Translation = pool.get('ir.translation')
        View = pool.get('ir.ui.view')
        # aftersales_warranty, which every module depends on, creates zh_TW
        languages = Lang.search([('code', 'in', LANGUAGES)])
        Lang.write(languages, {'translatable': True})

        # "Set Translations" for our reports and views only
        reports = Report.search([
                ('module', 'in', modules),
                ('translatable', '=', True),
                ])
        if reports:
            run_wizard('ir.translation.set', {}, 'set_', reports)
        views = View.search([('module', 'in', modules)])
        if views:
            run_wizard('ir.translation.set', {}, 'set_', views)
        run_wizard('ir.translation.clean', {}, 'clean')
        for lang in languages:
            run_wizard('ir.translation.update',
                {'start': {'language': lang.id}}, 'update')
        for module in modules:
            for code in LANGUAGES:
                content = Translation.translation_export(code, module)
                result[module, code] = content and content.decode('utf-8')
    return result


def merge(path, content):
    "Return (the merged po file, number of dropped translated entries)"
    pofile = polib.pofile(content or '', wrapwidth=78)
    old = {}
    if path.exists():
        old = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path))
            if not e.obsolete}
    for entry in pofile:
        previous = old.pop((entry.msgctxt, entry.msgid), None)
        if previous is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = dict(previous.msgstr_plural)
        else:
            entry.msgstr = previous.msgstr
        if 'fuzzy' in previous.flags and 'fuzzy' not in entry.flags:
            entry.flags.append('fuzzy')
    dropped = sum(1 for e in old.values() if e.msgstr or e.msgstr_plural)
    return pofile, dropped


def translated(entry):
    if 'fuzzy' in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(
            entry.msgstr_plural.values())
    return bool(entry.msgstr)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('modules', nargs='*', metavar='module')
    parser.add_argument('--all', action='store_true',
        help="every module under addons/")
    parser.add_argument('--check', action='store_true',
        help="write nothing; exit 1 if a file is out of date "
        "or has an empty or fuzzy msgstr")
    args = parser.parse_args()
    modules = list(args.modules)
    if args.all:
        modules += sorted(p.parent.name for p in ADDONS.glob('*/tryton.cfg')
            if p.parent.name not in modules)
    if not modules:
        parser.error("give at least one module (or --all)")
    for module in modules:
        if not (ADDONS / module / 'tryton.cfg').exists():
            parser.error(f"no module addons/{module}")

    failed = False
    for (module, code), content in export(modules).items():
        path = ADDONS / module / 'locale' / f'{code}.po'
        pofile, dropped = merge(path, content)
        text = str(pofile).rstrip('\n') + '\n' if len(pofile) else ''
        done = sum(1 for e in pofile if translated(e))
        missing = len(pofile) - done
        line = (f"{path.relative_to(ROOT)}: {len(pofile)} entries, "
            f"{done} translated, {missing} missing")
        if dropped:
            line += f" ({dropped} translated entries dropped)"
        if args.check:
            current = path.read_text(encoding='utf-8') if path.exists() else ''
            if current != text:
                line += " OUT OF DATE"
                failed = True
            failed |= bool(missing)
        elif text:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding='utf-8')
        elif path.exists():
            path.unlink()
        print(line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
