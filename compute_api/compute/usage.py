"""Usage per project over a period (nova's os-simple-tenant-usage): hours each server ran in it,
and those hours weighted by its vCPUs, memory and disk."""
import datetime

from compute_api import exception
from compute_api.db import store as store_mod
from compute_api.db import usage as db_usage

_FORMATS = ('%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%d %H:%M:%S.%f')


def parse_time(text):
    """A period bound from the query string (nova's three formats, naive UTC); now when absent."""
    if not text:
        return store_mod.utcnow()
    for time_format in _FORMATS:
        try:
            return datetime.datetime.strptime(text, time_format)
        except ValueError:
            pass
    raise exception.InvalidStrTime(reason='Datetime is in invalid format')


def period(start_text, end_text):
    """(start, stop): stop is at most now; start must come before it."""
    start, stop = parse_time(start_text), parse_time(end_text)
    if not start < stop:
        raise exception.Invalid('Invalid start time. The start time cannot occur after the end time.')
    return start, min(stop, store_mod.utcnow())


def _hours(server, start, stop):
    launched, terminated = server['launched_at'], server['terminated_at']
    if (terminated is not None and terminated < start) or launched > stop:
        return 0
    end = min(stop, terminated) if terminated is not None else stop
    return (end - max(launched, start)).total_seconds() / 3600.0


def _server_usage(server, hours, now):
    started, ended = server['launched_at'], server['terminated_at']
    delta = (ended or now) - started
    return {
        'instance_id': server['uuid'], 'name': server['display_name'], 'hours': hours,
        'memory_mb': server['memory_mb'], 'local_gb': server['root_gb'] + server['ephemeral_gb'],
        'vcpus': server['vcpus'], 'tenant_id': server['project_id'], 'flavor': server['flavor_name'] or '',
        'started_at': started, 'ended_at': ended, 'state': 'terminated' if ended else server['vm_state'],
        'uptime': delta.days * 24 * 3600 + delta.seconds,
    }


def tenant_usages(store, start, stop, project_id=None, detailed=True):
    """[{tenant_id, start, stop, total_hours, total_*_usage, server_usages (when detailed)}], one per
    project that had servers in the period, in the order their first server was created."""
    with store.read() as conn:
        servers = db_usage.active_in_window(conn, start, stop, project_id)
    now = store_mod.utcnow()
    usages = {}
    for server in servers:
        hours = _hours(server, start, stop)
        info = _server_usage(server, hours, now)
        summary = usages.setdefault(server['project_id'], dict(
            {'tenant_id': server['project_id']}, **({'server_usages': []} if detailed else {}),
            total_local_gb_usage=0, total_vcpus_usage=0, total_memory_mb_usage=0, total_hours=0,
            start=start, stop=stop))
        summary['total_local_gb_usage'] += info['local_gb'] * hours
        summary['total_vcpus_usage'] += info['vcpus'] * hours
        summary['total_memory_mb_usage'] += info['memory_mb'] * hours
        summary['total_hours'] += hours
        if detailed:
            summary['server_usages'].append(info)
    return list(usages.values())
