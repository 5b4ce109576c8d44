"""The web client on the demo database, driven in headless chromium"""
import pytest

pytestmark = pytest.mark.browser

SCREENSHOTS = [
    '01-menu', '02-registrations', '03-registration', '04-check',
    '05-check-result']


def test_warranty_screens(run_browser_script):
    """Log in, list the warranty registrations, open one, and run the
    warranty check on it as a dealer (W4 window from the date code)"""
    output, screenshots = run_browser_script('warranty.mjs')
    assert 'answer(s):' in output
    for name in SCREENSHOTS:
        assert (screenshots / f'{name}.png').stat().st_size > 0, name
