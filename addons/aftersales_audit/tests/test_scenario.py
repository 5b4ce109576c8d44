"Run the doctest scenarios of this module, one test each"
from trytond.modules.aftersales_warranty.tests.tools import scenario_test

test_scenario = scenario_test(__file__, __package__)
