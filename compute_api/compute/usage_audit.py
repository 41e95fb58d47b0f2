"""The instance usage audit log (nova's os-instance_usage_audit_log): what the periodic usage
audit of each compute host did in the last completed audit period.

This deployment runs no usage audit (nova's [DEFAULT] instance_usage_audit, off by default), so
no host has a task log: each compute host is reported as not run, as nova reports its hosts when
the audit is off. The period is nova's default instance_usage_audit_period, a calendar month.
"""
import datetime

from compute_api import exception
from compute_api.compute import inventory
from compute_api.db import store as store_mod


def parse_before(text):
    """A `before` timestamp as nova takes it: 'YYYY-MM-DD HH:MM:SS[.ffffff]'."""
    time_format = '%Y-%m-%d %H:%M:%S.%f' if '.' in text else '%Y-%m-%d %H:%M:%S'
    try:
        return datetime.datetime.strptime(text, time_format)
    except ValueError:
        raise exception.Invalid('Invalid timestamp for date %s' % text) from None


def _month_before(first_day):
    if first_day.month == 1:
        return first_day.replace(year=first_day.year - 1, month=12)
    return first_day.replace(month=first_day.month - 1)


def last_completed_period(before):
    """(beginning, ending) of the last calendar month that ended before `before` (nova's
    utils.last_completed_audit_period for the unit 'month')."""
    ending = datetime.datetime(before.year, before.month, 1)
    if ending >= before:
        ending = _month_before(ending)
    return _month_before(ending), ending


def audit_summary(conf, before=None):
    """The period's summary: {period_beginning, period_ending, hosts, hosts_not_run}."""
    beginning, ending = last_completed_period(before or store_mod.utcnow())
    services = inventory.list_services(conf, binary=inventory.COMPUTE_BINARY)
    compute_hosts = sorted({service['host'] for service in services})
    return {'period_beginning': beginning, 'period_ending': ending, 'hosts': compute_hosts,
            'hosts_not_run': compute_hosts}
