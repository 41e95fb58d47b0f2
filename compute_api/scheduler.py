"""Choosing the host of a server, exactly under concurrency (nova's filter scheduler with
placement's claims, reduced to what this deployment has).

A server goes to a host whose compute service is up and enabled and whose node has room for its
flavor: vcpus, memory_mb and root_gb + ephemeral_gb of the host's live servers, plus the new
one, within the node's totals times its allocation ratio less what the host reserves. Of the
hosts with room, the one with the most free RAM takes it (nova's RAM weigher: servers spread).

The choice runs in the transaction that inserts the server: lock_candidates() locks the candidate
nodes' rows (SELECT ... FOR UPDATE, in id order) before that transaction reads any server row
with a lock, and place() then reads the usage, so two creates choosing among the same hosts take
turns, and each sees what the other committed (on MariaDB the usage is a locking read, which sees
the latest committed rows under REPEATABLE READ; taking the node locks first keeps those share
locks from crossing another create's inserts in a deadlock). The usage is derived from the
servers themselves, so a delete, a shelve offload or a failed placement frees room by itself.
"""
from compute_api.compute import inventory
from compute_api.db import hypervisors as db_hypervisors
from compute_api.db import services as db_services


def _needs(server):
    return (server['vcpus'], server['memory_mb'], server['root_gb'] + server['ephemeral_gb'])


def _room(node, used):
    used = used.get(node['host']) or dict.fromkeys(db_hypervisors.USAGE_KEYS, 0)
    return [node['vcpus'] * node['cpu_allocation_ratio'] - node['reserved_host_cpus'] - used['vcpus_used'],
            node['memory_mb'] * node['ram_allocation_ratio'] - node['reserved_host_memory_mb']
            - used['memory_mb_used'],
            node['local_gb'] * node['disk_allocation_ratio'] - node['reserved_host_disk_mb'] / 1024.0
            - used['local_gb_used']]


def lock_candidates(conn, conf, forced_host=None):
    """The nodes a new server may go to (up, enabled; only `forced_host`'s for an admin's
    "zone:host"), locked for the rest of the transaction."""
    nodes = [node for node in inventory.up_compute_nodes(conn, conf)
             if forced_host is None or node['host'] == forced_host]
    if nodes:
        db_services.lock_nodes(conn, [node['id'] for node in nodes])
    return nodes


def place(conn, nodes, servers):
    """Set 'host' and 'node' of each of `servers` (dicts with the flavor columns) among `nodes`
    (lock_candidates()), all or none; whether they all found room."""
    if not nodes:
        return False
    used = db_hypervisors.usage_by_host(conn, locking=True)
    room = {node['id']: _room(node, used) for node in nodes}
    chosen = []
    for server in servers:
        needs = _needs(server)
        fitting = [node for node in nodes if all(free >= need for free, need in zip(room[node['id']], needs))]
        if not fitting:
            return False
        best = max(fitting, key=lambda node: room[node['id']][1])
        room[best['id']] = [free - need for free, need in zip(room[best['id']], needs)]
        chosen.append(best)
    for server, node in zip(servers, chosen):
        server['host'], server['node'] = node['host'], node['hypervisor_hostname']
    return True
