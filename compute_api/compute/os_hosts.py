"""The legacy os-hosts view of the compute host (nova's Hosts extension, admin only).

This deployment has one compute host ([DEFAULT] host); any other name is nova's 404. The
status, maintenance and power actions go to the driver, as in nova: the fake driver answers
them without changing anything, the libvirt driver implements none of them (nova's 501).
"""
from compute_api import exception
from compute_api.compute import inventory
from compute_api.db import host_resources as db

COMPUTE_TOPIC = 'compute'
INTERNAL_TOPICS = ('conductor', 'scheduler')
INTERNAL_ZONE = 'internal'  # nova's internal_service_availability_zone


def list_hosts(conf, zone=None):
    """[{host_name, service, zone}] of the services, only those in `zone` when given (an empty
    zone is no filter, as in nova). This process also does the scheduler's and the conductor's
    work: nova lists those services in its internal zone."""
    found = [{'host_name': service['host'], 'service': COMPUTE_TOPIC, 'zone': service['zone']}
             for service in inventory.list_services(conf)]
    found += [{'host_name': conf.host, 'service': topic, 'zone': INTERNAL_ZONE} for topic in INTERNAL_TOPICS]
    return [host for host in found if not zone or host['zone'] == zone]


def _check(conf, host):
    if host != conf.host:
        raise exception.HostNotFound(host=host)


def resources(store, conf, driver, host):
    """[{host, project, cpu, memory_mb, disk_gb}]: the node's (total), what it reports in use
    (used_now), the sum of its servers' flavors (used_max), then that sum per project."""
    _check(conf, host)
    node = inventory.hypervisor(store, conf, driver)
    with store.read() as conn:
        projects = db.usage_by_project(conn, host)

    def resource(project, cpu, memory_mb, disk_gb):
        return {'host': host, 'project': project, 'cpu': cpu, 'memory_mb': memory_mb, 'disk_gb': disk_gb}

    used_max = [sum(values) for values in zip(*[row[1:] for row in projects])] or [0, 0, 0]
    return ([resource('(total)', node['vcpus'], node['memory_mb'], node['local_gb']),
             resource('(used_now)', node['vcpus_used'], node['memory_mb_used'], node['local_gb_used']),
             resource('(used_max)', *used_max)]
            + [resource(*row) for row in projects])


def _driver_call(method, *args):
    try:
        return method(*args)
    except NotImplementedError:
        raise exception.NotImplementedYet('The requested functionality is not supported.')


def update(conf, driver, host, status=None, maintenance_mode=None):
    """{'host', 'status'?: 'enabled'|'disabled', 'maintenance_mode'?: 'on_maintenance'|...}."""
    _check(conf, host)
    result = {'host': host}
    if maintenance_mode is not None:
        result['maintenance_mode'] = _driver_call(driver.host_maintenance_mode, maintenance_mode == 'enable')
    if status is not None:
        result['status'] = _driver_call(driver.set_host_enabled, status == 'enable')
    return result


def power_action(conf, driver, host, action):
    _check(conf, host)
    return {'host': host, 'power_action': _driver_call(driver.host_power_action, action)}
