"""Run the doctest scenarios

Each tests/scenario_*.rst file is one pytest test: pytest ignores
load_tests, so the scenarios are handed to it here.
"""
import pytest

from trytond.modules.aftersales_warranty.tests.tools import (
    run_scenario, scenarios)


@pytest.mark.parametrize('name', scenarios(__file__))
def test_scenario(name):
    report = run_scenario(__package__, name)
    assert not report, report
