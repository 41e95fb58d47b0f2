"""Hypervisor documents (nova 2.1: integer ids; detail with host_ip and the service)."""

_DETAIL_FIELDS = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used',
                  'hypervisor_type', 'hypervisor_version', 'free_ram_mb', 'free_disk_gb', 'current_workload',
                  'running_vms', 'cpu_info', 'disk_available_least', 'host_ip')


def summary(node):
    service = node['service']
    return {'id': node['id'], 'hypervisor_hostname': node['hypervisor_hostname'],
            'state': 'up' if service['up'] else 'down',
            'status': 'disabled' if service['disabled'] else 'enabled'}


def detail(node):
    document = summary(node)
    document.update((field, node[field]) for field in _DETAIL_FIELDS)
    document['service'] = {'id': node['service']['id'], 'host': node['host'],
                           'disabled_reason': node['service']['disabled_reason']}
    return document


def with_servers(node, servers):
    document = summary(node)
    if servers:
        document['servers'] = servers
    return document


def with_uptime(node, uptime):
    return dict(summary(node), uptime=uptime)
