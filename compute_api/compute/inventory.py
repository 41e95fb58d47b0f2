"""The one compute host this deployment is: its nova-compute service, its availability zone and
its hypervisor node, described the way nova's os-services, os-availability-zone and
os-hypervisors describe theirs.

The API process runs the driver itself, so the service is up whenever the API answers and its
heartbeat (updated_at) is the time of the request. No zone other than [DEFAULT]
default_availability_zone exists here.
"""
import functools
import socket

from compute_api import exception
from compute_api.db import hypervisors as db_hypervisors
from compute_api.db import store as store_mod

SERVICE_ID = 1
COMPUTE_BINARY = 'nova-compute'


def compute_service(conf):
    """The nova-compute service record of this host."""
    return {
        'id': SERVICE_ID,
        'binary': COMPUTE_BINARY,
        'host': conf.host,
        'zone': conf.default_availability_zone,
        'disabled': False,
        'disabled_reason': None,
        'forced_down': False,
        'up': True,
        'updated_at': store_mod.utcnow(),
    }


def list_services(conf, host=None, binary=None):
    """The services, filtered as os-services filters (exact host and binary)."""
    return [service for service in [compute_service(conf)]
            if (host is None or service['host'] == host) and (binary is None or service['binary'] == binary)]


def availability_zones(conf):
    """[(zone name, available, [services in it])]: the default zone, holding this host."""
    return [(conf.default_availability_zone, True, [compute_service(conf)])]


# -- the hypervisor node ----------------------------------------------------------------------------

HYPERVISOR_ID = 1


def nodename(conf, driver):
    """The node servers are placed on: the driver's, else the host's name."""
    return getattr(driver, 'nodename', None) or conf.host


def host_ip(conf):
    """The node's address: [DEFAULT] my_ip, else this machine's name resolved once per process
    (a lookup blocks the whole eventlet development server, which runs without green DNS)."""
    return conf.my_ip or _resolved_host_ip()


@functools.cache
def _resolved_host_ip():
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return '127.0.0.1'


def hypervisor(store, conf, driver):
    """The node with its capacity and what the host's servers use (nova's compute node)."""
    resources = driver.get_host_resources()
    with store.read() as conn:
        used = db_hypervisors.usage(conn, conf.host)
    return dict(
        used, id=HYPERVISOR_ID, hypervisor_hostname=nodename(conf, driver), host=conf.host,
        vcpus=resources['vcpus'], memory_mb=resources['memory_mb'], local_gb=resources['local_gb'],
        free_ram_mb=resources['memory_mb'] - used['memory_mb_used'],
        free_disk_gb=resources['local_gb'] - used['local_gb_used'],
        disk_available_least=resources['local_gb'] - used['local_gb_used'],
        hypervisor_type=driver.hypervisor_type, hypervisor_version=driver.hypervisor_version,
        cpu_info=resources['cpu_info'], host_ip=host_ip(conf), service=compute_service(conf))


def list_hypervisors(store, conf, driver):
    return [hypervisor(store, conf, driver)]


def get_hypervisor(store, conf, driver, hypervisor_id):
    """The node by its id (an integer, as at 2.1); HypervisorNotFound otherwise."""
    if str(hypervisor_id) != str(HYPERVISOR_ID):
        raise exception.HypervisorNotFound(hypervisor_id=hypervisor_id)
    return hypervisor(store, conf, driver)


def search_hypervisors(store, conf, driver, pattern):
    """Nodes whose name contains `pattern` (nova: LIKE %pattern%); NoHypervisorMatch when none."""
    found = [node for node in list_hypervisors(store, conf, driver) if pattern in node['hypervisor_hostname']]
    if not found:
        raise exception.NoHypervisorMatch(pattern=pattern)
    return found


def servers_of(store, node):
    """[{'name': instance name, 'uuid'}] of the servers on the node's host."""
    with store.read() as conn:
        return [{'name': 'instance-%08x' % server_id, 'uuid': server_uuid}
                for server_id, server_uuid in db_hypervisors.servers(conn, node['host'])]


def uptime(store, conf, driver, hypervisor_id):
    node = get_hypervisor(store, conf, driver, hypervisor_id)
    try:
        return node, driver.get_host_uptime()
    except NotImplementedError:
        raise exception.NotImplementedYet('Action not implemented')


def statistics(store, conf, driver):
    """Sums over every node (nova's compute_node_statistics)."""
    nodes = list_hypervisors(store, conf, driver)
    keys = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb',
            'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least')
    stats = {key: sum(node[key] for node in nodes) for key in keys}
    stats['count'] = len(nodes)
    return stats
