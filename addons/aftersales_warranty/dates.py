"Date arithmetic following the RULEBOOK's counting conventions"
import calendar
import datetime as dt


def add_months(date, months):
    """Return the date months later, clamped to the month's last day

    2025-01-31 + 12 months = 2026-01-31; 2025-08-31 + 6 months = 2026-02-28.
    """
    month_index = date.month - 1 + months
    year = date.year + month_index // 12
    month = month_index % 12 + 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return date.replace(year=year, month=month, day=day)


def within_days(event, days):
    "Return the last day (inclusive) of 'within days of event'"
    return event + dt.timedelta(days=days)
