"""The project's pytest configuration works with and without pytest-xdist"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_collect_without_xdist():
    "pytest -p no:xdist collects the addons' tests"
    result = subprocess.run(
        [sys.executable, '-m', 'pytest', '-p', 'no:xdist', '--collect-only',
            '-q', 'addons/aftersales_warranty/tests/test_module.py'],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
