"""os-hypervisors (admin): the fake driver's node, as nova 2.1 shows compute nodes."""
import json
import socket
import uuid

import pytest

from compute_api.db import models
from compute_api.db import store as store_mod
from compute_api.virt import fake

SUMMARY = {'id': 1, 'hypervisor_hostname': 'fake-mini', 'state': 'up', 'status': 'enabled'}


def add_server(store, host='compute-api', vcpus=2, memory_mb=1024, root_gb=10, ephemeral_gb=5, deleted=False,
               task_state=None):
    """A server row as server create leaves it on a host; (id, uuid)."""
    server_uuid = str(uuid.uuid4())
    with store.write() as conn:
        result = conn.execute(models.instances.insert().values(
            uuid=server_uuid, project_id='demo', user_id='demo', flavor_id='1', memory_mb=memory_mb, vcpus=vcpus,
            root_gb=root_gb, ephemeral_gb=ephemeral_gb, swap=0, vm_state='active', task_state=task_state,
            power_state=1, progress=0, config_drive='', auto_disk_config=False, launch_index=0, locked=False,
            host=host, node='fake-mini', deleted=deleted, created_at=store_mod.utcnow()))
    return result.inserted_primary_key[0], server_uuid


def test_list(admin):
    assert admin.get('/v2.1/os-hypervisors').json == {'hypervisors': [SUMMARY]}
    assert admin.get('/v2/admin/os-hypervisors').json == {'hypervisors': [SUMMARY]}


def test_detail_and_show_of_an_empty_node(admin, conf):
    node = admin.get('/v2.1/os-hypervisors/detail').json['hypervisors'][0]
    assert isinstance(node.pop('host_ip'), str)
    assert node == dict(
        SUMMARY, vcpus=1000, memory_mb=800000, local_gb=600000, vcpus_used=0, memory_mb_used=0, local_gb_used=0,
        hypervisor_type='fake', hypervisor_version=1000, free_ram_mb=800000, free_disk_gb=600000,
        current_workload=0, running_vms=0, cpu_info=fake.FakeDriver.RESOURCES['cpu_info'],
        disk_available_least=600000, service={'id': 1, 'host': conf.host, 'disabled_reason': None})
    assert json.loads(node['cpu_info'])['arch'] == 'x86_64'
    shown = admin.get('/v2.1/os-hypervisors/1').json['hypervisor']
    shown.pop('host_ip')
    assert shown == node


def test_usage_counts_the_live_servers_of_the_host(admin, store):
    add_server(store)
    add_server(store, vcpus=1, memory_mb=512, root_gb=1, ephemeral_gb=0, task_state='rebooting')
    add_server(store, deleted=True)
    add_server(store, host='elsewhere')
    node = admin.get('/v2.1/os-hypervisors/1').json['hypervisor']
    assert {key: node[key] for key in ('running_vms', 'vcpus_used', 'memory_mb_used', 'local_gb_used',
                                       'current_workload', 'free_ram_mb', 'free_disk_gb')} == {
        'running_vms': 2, 'vcpus_used': 3, 'memory_mb_used': 1536, 'local_gb_used': 16, 'current_workload': 1,
        'free_ram_mb': 800000 - 1536, 'free_disk_gb': 600000 - 16}


def test_statistics_sum_the_nodes(admin, store):
    add_server(store)
    assert admin.get('/v2.1/os-hypervisors/statistics').json == {'hypervisor_statistics': {
        'count': 1, 'vcpus': 1000, 'memory_mb': 800000, 'local_gb': 600000, 'vcpus_used': 2,
        'memory_mb_used': 1024, 'local_gb_used': 15, 'free_ram_mb': 800000 - 1024, 'free_disk_gb': 600000 - 15,
        'current_workload': 0, 'running_vms': 1, 'disk_available_least': 600000 - 15}}


def test_uptime(admin):
    assert admin.get('/v2.1/os-hypervisors/1/uptime').json == {
        'hypervisor': dict(SUMMARY, uptime=fake.FakeDriver.UPTIME)}


@pytest.mark.parametrize('hypervisor_id', ['2', 'abc', str(uuid.uuid4())])
def test_unknown_ids_are_404(admin, hypervisor_id):
    for suffix in ('', '/uptime'):
        resp = admin.get('/v2.1/os-hypervisors/%s%s' % (hypervisor_id, suffix), status=404)
        assert resp.json == {'itemNotFound': {
            'code': 404, 'message': "Hypervisor with ID '%s' could not be found." % hypervisor_id}}


@pytest.mark.parametrize('pattern', ['fake-mini', 'fake', 'mini', '-'])
def test_search_by_hostname_substring(admin, pattern):
    assert admin.get('/v2.1/os-hypervisors/%s/search' % pattern).json == {'hypervisors': [SUMMARY]}


def test_search_without_match_is_404(admin):
    for suffix in ('search', 'servers'):
        resp = admin.get('/v2.1/os-hypervisors/nothing/%s' % suffix, status=404)
        assert resp.json == {'itemNotFound': {'code': 404,
                                              'message': "No hypervisor matching 'nothing' could be found."}}


def test_servers_lists_instance_names_and_uuids(admin, store):
    assert admin.get('/v2.1/os-hypervisors/fake/servers').json == {'hypervisors': [SUMMARY]}
    first = add_server(store)
    second = add_server(store)
    add_server(store, deleted=True)
    assert admin.get('/v2.1/os-hypervisors/fake/servers').json == {'hypervisors': [dict(SUMMARY, servers=[
        {'name': 'instance-%08x' % first[0], 'uuid': first[1]},
        {'name': 'instance-%08x' % second[0], 'uuid': second[1]}])]}


@pytest.mark.parametrize('path', ['', '/detail', '/statistics', '/1', '/1/uptime', '/fake/search', '/fake/servers'])
def test_admin_only(client, path):
    resp = client.get('/v2.1/os-hypervisors' + path, status=403)
    assert resp.json['forbidden']['message'].startswith("Policy doesn't allow os_compute_api:os-hypervisors:")


def test_host_ip_is_my_ip(admin, conf):
    conf.set_override('my_ip', '192.0.2.7')
    assert admin.get('/v2.1/os-hypervisors/detail').json['hypervisors'][0]['host_ip'] == '192.0.2.7'
    assert admin.get('/v2.1/os-hypervisors/1').json['hypervisor']['host_ip'] == '192.0.2.7'


def test_without_my_ip_the_host_name_is_resolved_at_most_once_per_process(admin, monkeypatch):
    # Name resolution blocks the eventlet development server: not once per request.
    lookups = []
    real = socket.gethostbyname
    monkeypatch.setattr(socket, 'gethostbyname', lambda name: lookups.append(name) or real(name))
    shown = {admin.get('/v2.1/os-hypervisors/detail').json['hypervisors'][0]['host_ip'] for _ in range(3)}
    assert len(shown) == 1
    assert len(lookups) <= 1
