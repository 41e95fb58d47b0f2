"""The legacy os-hosts view of the compute host (nova's Hosts extension, admin only).

The hosts are those with a compute service in the services table; any other name is nova's 404.
The status, maintenance and power actions go to the host's driver, as in nova: the fake driver
answers them without changing anything, the libvirt driver implements none of them (nova's 501).
"""
from compute_api import exception
from compute_api.compute import inventory
from compute_api.db import host_resources as db

COMPUTE_TOPIC = 'compute'
INTERNAL_TOPICS = ('conductor', 'scheduler')
INTERNAL_ZONE = 'internal'  # nova's internal_service_availability_zone


def list_hosts(store, conf, zone=None):
    """[{host_name, service, zone}] of the services, only those in `zone` when given (an empty
    zone is no filter, as in nova). The API process also does the scheduler's and the conductor's
    work: nova lists those services in its internal zone."""
    found = [{'host_name': service['host'], 'service': COMPUTE_TOPIC, 'zone': service['zone']}
             for service in inventory.list_services(store, conf)]
    found += [{'host_name': conf.host, 'service': topic, 'zone': INTERNAL_ZONE} for topic in INTERNAL_TOPICS]
    return [host for host in found if not zone or host['zone'] == zone]


def _check(store, conf, host):
    if not inventory.list_services(store, conf, host, inventory.COMPUTE_BINARY):
        raise exception.HostNotFound(host=host)


def resources(store, conf, host):
    """[{host, project, cpu, memory_mb, disk_gb}]: the node's (total), what it reports in use
    (used_now), the sum of its servers' flavors (used_max), then that sum per project."""
    nodes = [node for node in inventory.list_hypervisors(store, conf) if node['host'] == host]
    if not nodes:
        raise exception.HostNotFound(host=host)
    node = nodes[0]
    with store.read() as conn:
        projects = db.usage_by_project(conn, host)

    def resource(project, cpu, memory_mb, disk_gb):
        return {'host': host, 'project': project, 'cpu': cpu, 'memory_mb': memory_mb, 'disk_gb': disk_gb}

    used_max = [sum(values) for values in zip(*[row[1:] for row in projects])] or [0, 0, 0]
    return ([resource('(total)', node['vcpus'], node['memory_mb'], node['local_gb']),
             resource('(used_now)', node['vcpus_used'], node['memory_mb_used'], node['local_gb_used']),
             resource('(used_max)', *used_max)]
            + [resource(*row) for row in projects])


def update(store, conf, compute, host, status=None, maintenance_mode=None):
    """{'host', 'status'?: 'enabled'|'disabled', 'maintenance_mode'?: 'on_maintenance'|...}."""
    _check(store, conf, host)
    result = {'host': host}
    if maintenance_mode is not None:
        result['maintenance_mode'] = compute.call(host, 'host_maintenance_mode', enabled=maintenance_mode == 'enable')
    if status is not None:
        result['status'] = compute.call(host, 'set_host_enabled', enabled=status == 'enable')
    return result


def power_action(store, conf, compute, host, action):
    _check(store, conf, host)
    return {'host': host, 'power_action': compute.call(host, 'host_power_action', action=action)}
