"""Every module ships complete zh_CN and zh_TW translations.

No database: it only reads addons/<module>/locale/<lang>.po (written by
scripts/update_po.py) and the hand-written locale/override/<lang>.po, which
carry other modules' strings (trytond loads them after locale/<lang>.po).
An entry fails when its msgstr is empty, when it is flagged fuzzy (Tryton
ignores fuzzy translations) or when its %(name)s placeholders differ from
the msgid's. The rulebook's IDs (R4, W1, ...) are for developers: no string
a user reads carries one. Whether the files are up to date with the modules'
strings needs a database: test_translations_current runs
scripts/update_po.py --check (it leaves the override files alone).
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / 'addons'
MODULES = sorted(p.parent.name for p in ADDONS.glob('*/tryton.cfg'))
LANGUAGES = ['zh_CN', 'zh_TW']
RULE_ID = re.compile(r'\b[WRNCA]\d{1,2}\b')
PLACEHOLDER = re.compile(r'%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]')


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text or ''))


def problems(entry):
    where = f'{entry.msgctxt} {entry.msgid!r}'
    if entry.msgid_plural:
        pairs = [(entry.msgid if n == 0 else entry.msgid_plural, text)
            for n, text in sorted(entry.msgstr_plural.items())]
    else:
        pairs = [(entry.msgid, entry.msgstr)]
    if not pairs or not all(text for _, text in pairs):
        yield f'{where}: empty msgstr'
    if any(RULE_ID.search(text) for pair in pairs for text in pair):
        yield f'{where}: shows a rule ID to the user'
    if 'fuzzy' in entry.flags:
        yield f'{where}: fuzzy'
    for source, text in pairs:
        if text and placeholders(source) != placeholders(text):
            yield (f'{where}: placeholders {placeholders(text)} '
                f'instead of {placeholders(source)}')


@pytest.mark.parametrize('module', MODULES)
@pytest.mark.parametrize('lang', LANGUAGES)
def test_translations_complete(module, lang):
    "zh_CN/zh_TW .po files exist, every msgstr filled, placeholders kept"
    path = ADDONS / module / 'locale' / f'{lang}.po'
    assert path.exists(), (
        f'{path} is missing: run .venv/bin/python scripts/update_po.py '
        f'{module}, then fill it')
    pofile = polib.pofile(str(path))
    errors = [p for e in pofile if not e.obsolete for p in problems(e)]
    assert not errors, f'{path}:\n' + '\n'.join(errors)


@pytest.mark.parametrize('path', sorted(ADDONS.glob('*/locale/override/*.po')),
    ids=lambda p: str(p.relative_to(ADDONS)))
def test_override_translations_complete(path):
    """locale/override/<lang>.po (other modules' strings, loaded after
    locale/<lang>.po and not written by update_po.py): same checks"""
    assert path.stem in LANGUAGES, f'{path}: not one of {LANGUAGES}'
    pofile = polib.pofile(str(path))
    errors = [p for e in pofile if not e.obsolete for p in problems(e)]
    assert not errors, f'{path}:\n' + '\n'.join(errors)


def test_rule_id_check():
    "the check itself catches a rule ID in a help text"
    entry = polib.POEntry(msgctxt='help:aftersales.configuration,count_days:',
        msgid='Counted by this day (R8).', msgstr='在此日前清点（R8）。')
    assert any('rule ID' in p for p in problems(entry))


def test_placeholder_check():
    "the check itself catches a lost or renamed placeholder"
    entry = polib.POEntry(msgctxt='model:ir.message,text:msg_x',
        msgid='Lot "%(lot)s" of %(date)s.', msgstr='批次“%(lot)s”。')
    assert any('placeholders' in p for p in problems(entry))
    entry.msgstr = '%(date)s 的批次“%(lot)s”。'
    assert not list(problems(entry))
    entry.msgstr = ''
    assert list(problems(entry)) == [
        "model:ir.message,text:msg_x 'Lot \"%(lot)s\" of %(date)s.': "
        "empty msgstr"]


@pytest.mark.skipif(
    not os.environ.get('TRYTOND_DATABASE_URI', 'sqlite://').startswith(
        'sqlite'),
    reason="the export runs on an in-memory SQLite database: run once, "
    "on SQLite")
def test_translations_current():
    """The .po files hold every string the modules show, and no other: a
    string changed in the code without its translation fails here"""
    result = subprocess.run(
        [sys.executable, str(ROOT / 'scripts' / 'update_po.py'),
            '--check', '--all'],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=30 * 60)
    assert result.returncode == 0, (
        "run .venv/bin/python scripts/update_po.py --all, then fill what "
        "it reports missing:\n" + '\n'.join(
            l for l in result.stdout.splitlines()
            if 'OUT OF DATE' in l or ' 0 missing' not in l))
