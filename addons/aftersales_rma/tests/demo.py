"""Demo data of the returns module, built with proteus

``create_return_calendar`` sets the R11 schedule on the subdivisions that
``aftersales_warranty.tests.demo.create_subdivisions`` returns (provinces by
their ISO 3166-2 code, the demo's cities by name); ``build`` adds it to a
demo built by the warranty module's ``build``.
"""
from proteus import Model

# R11: the return week of each region; Shanxi's week covers Inner Mongolia
# and Gansu's Qinghai and Ningxia. Fujian itself has no week: only its
# three cities do. Jilin, Tibet, Hong Kong, Macau and Taiwan have none.
R11_SCHEDULE = {
    1: ['CN-HL', 'CN-LN', 'CN-TJ', 'CN-BJ', 'CN-SX', 'CN-NM', 'CN-HE',
        'CN-SC', 'CN-GZ', 'CN-SN', 'CN-GS', 'CN-QH', 'CN-NX', 'CN-XJ',
        'CN-CQ', 'CN-YN'],
    2: ['CN-AH', 'CN-JS', 'CN-SH', 'CN-ZJ', 'Fuzhou', 'Xiamen', 'Quanzhou',
        'CN-JX'],
    3: ['CN-HB', 'CN-HN', 'CN-SD', 'CN-HA', 'CN-GD', 'CN-GX', 'CN-HI'],
    }


def create_return_calendar(subdivisions, config=None):
    """Give each region of R11 its return week

    subdivisions maps an ISO code or a city name to its subdivision; the
    regions it lacks are left out. Regions that already have a week keep
    it. Return {key: region week}.
    """
    RegionWeek = Model.get('aftersales.rma.region.week', config=config)
    existing = {r.subdivision.id: r for r in RegionWeek.find([])}
    result, new = {}, []
    for week, keys in sorted(R11_SCHEDULE.items()):
        for key in keys:
            subdivision = subdivisions.get(key)
            if subdivision is None:
                continue
            if subdivision.id in existing:
                result[key] = existing[subdivision.id]
                continue
            record = RegionWeek(subdivision=subdivision, week=week)
            new.append(record)
            result[key] = record
    RegionWeek.save(new)
    return result


def build(data, config=None):
    """Add the returns demo to data built by the warranty demo

    data needs 'subdivisions'; it gets 'return_calendar'.
    """
    data['return_calendar'] = create_return_calendar(
        data['subdivisions'], config=config)
    return data
