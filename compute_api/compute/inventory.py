"""The compute hosts: their nova-compute services, availability zones and hypervisor nodes, as
nova's os-services, os-availability-zone and os-hypervisors describe them, read from the
services and compute_nodes tables.

A service is up while its last heartbeat is at most [DEFAULT] service_down_time old by the
database's clock (and it is not forced down). No zone other than [DEFAULT]
default_availability_zone exists here.
"""
import functools
import socket

from compute_api import exception
from compute_api.db import hypervisors as db_hypervisors
from compute_api.db import services as db_services

COMPUTE_BINARY = db_services.COMPUTE_BINARY
# What a host reports of its own configuration with its node.
NODE_OPTIONS = ('cpu_allocation_ratio', 'ram_allocation_ratio', 'disk_allocation_ratio', 'reserved_host_cpus',
                'reserved_host_memory_mb', 'reserved_host_disk_mb')


def is_up(conf, last_seen_up, forced_down, now):
    return (not forced_down and last_seen_up is not None
            and (now - last_seen_up).total_seconds() <= conf.service_down_time)


def _service(conf, row):
    return {
        'id': row['id'],
        'binary': row['binary'],
        'host': row['host'],
        'zone': conf.default_availability_zone,
        'disabled': row['disabled'],
        'disabled_reason': row['disabled_reason'],
        'forced_down': row['forced_down'],
        'up': is_up(conf, row['last_seen_up'], row['forced_down'], row['now']),
        'updated_at': row['updated_at'],
    }


def list_services(store, conf, host=None, binary=None):
    """The services, filtered as os-services filters (exact host and binary)."""
    with store.read() as conn:
        return [_service(conf, row) for row in db_services.list_services(conn, host, binary)]


def up_compute_nodes(conn, conf):
    """The nodes (compute_nodes rows) of the hosts whose compute service is up and enabled."""
    return [row for row in db_services.list_nodes(conn)
            if not row['service_disabled']
            and is_up(conf, row['service_last_seen_up'], row['service_forced_down'], row['now'])]


def availability_zones(store, conf):
    """[(zone name, available, [services in it])]: the default zone, holding every host (available
    while one of its services is enabled)."""
    services = list_services(store, conf)
    return [(conf.default_availability_zone, any(not service['disabled'] for service in services), services)]


def set_service_status(store, host, binary, disabled, reason=None):
    """os-services enable/disable(-log-reason) of the compute service of `host`; a
    ServiceBinaryNotFound when it has none."""
    with store.write() as conn:
        if binary != COMPUTE_BINARY or not db_services.update(conn, host, binary, {
                'disabled': disabled, 'disabled_reason': reason}):
            raise exception.HostBinaryNotFound(host=host, binary=binary)


def delete_service(store, service_id):
    """Delete a service (ServiceNotFound for an unknown id); a compute service whose host holds
    servers is refused (nova's 409)."""
    with store.write() as conn:
        service = db_services.get(conn, service_id)
        if service is None:
            raise exception.ServiceNotFound(service_id=service_id)
        if not db_services.delete(conn, service):
            raise exception.ServiceHostsInstances()


# -- the hypervisor nodes ---------------------------------------------------------------------------

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


def node_report(conf, driver):
    """The compute_nodes columns of this host's node, from its driver."""
    resources = driver.get_host_resources()
    return {'hypervisor_hostname': nodename(conf, driver), 'vcpus': resources['vcpus'],
            'memory_mb': resources['memory_mb'], 'local_gb': resources['local_gb'],
            'hypervisor_type': driver.hypervisor_type, 'hypervisor_version': driver.hypervisor_version,
            'cpu_info': resources['cpu_info'], 'host_ip': host_ip(conf),
            **{option: conf[option] for option in NODE_OPTIONS}}


def _node(conf, row, used):
    used = used.get(row['host']) or dict.fromkeys(db_hypervisors.USAGE_KEYS, 0)
    service = {'id': row['service_id'], 'host': row['host'], 'disabled': row['service_disabled'],
               'disabled_reason': row['service_disabled_reason'],
               'up': is_up(conf, row['service_last_seen_up'], row['service_forced_down'], row['now'])}
    return dict(
        used, id=row['id'], hypervisor_hostname=row['hypervisor_hostname'], host=row['host'],
        vcpus=row['vcpus'], memory_mb=row['memory_mb'], local_gb=row['local_gb'],
        free_ram_mb=row['memory_mb'] - used['memory_mb_used'],
        free_disk_gb=row['local_gb'] - used['local_gb_used'],
        disk_available_least=row['local_gb'] - used['local_gb_used'],
        hypervisor_type=row['hypervisor_type'], hypervisor_version=row['hypervisor_version'],
        cpu_info=row['cpu_info'], host_ip=row['host_ip'], service=service)


def list_hypervisors(store, conf):
    """Every node with its capacity and what its host's servers use (two queries)."""
    with store.read() as conn:
        rows = db_services.list_nodes(conn)
        used = db_hypervisors.usage_by_host(conn)
    return [_node(conf, row, used) for row in rows]


def get_hypervisor(store, conf, hypervisor_id):
    """The node by its id (an integer, as at 2.1); HypervisorNotFound otherwise."""
    for node in list_hypervisors(store, conf):
        if str(node['id']) == str(hypervisor_id):
            return node
    raise exception.HypervisorNotFound(hypervisor_id=hypervisor_id)


def search_hypervisors(store, conf, pattern):
    """Nodes whose name contains `pattern` (nova: LIKE %pattern%); NoHypervisorMatch when none."""
    found = [node for node in list_hypervisors(store, conf) if pattern in node['hypervisor_hostname']]
    if not found:
        raise exception.NoHypervisorMatch(pattern=pattern)
    return found


def servers_of(store, node):
    """[{'name': instance name, 'uuid'}] of the servers on the node's host."""
    with store.read() as conn:
        return [{'name': 'instance-%08x' % server_id, 'uuid': server_uuid}
                for server_id, server_uuid in db_hypervisors.servers(conn, node['host'])]


def uptime(store, conf, compute, hypervisor_id):
    """The node and its host's uptime (asked of the host)."""
    node = get_hypervisor(store, conf, hypervisor_id)
    return node, compute.call(node['host'], 'get_host_uptime')


def statistics(store, conf):
    """Sums over every node (nova's compute_node_statistics)."""
    nodes = list_hypervisors(store, conf)
    keys = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb',
            'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least')
    stats = {key: sum(node[key] for node in nodes) for key in keys}
    stats['count'] = len(nodes)
    return stats
