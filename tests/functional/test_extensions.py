"""GET /extensions and /extensions/{alias}: the list names what is served, and each alias on it
has its route, action, request field or response field behind it (checked through the app)."""
import base64

import urllib.parse

import pytest

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
VOLUME = '5b8a1e2c-7d3f-4a6b-9c0d-1e2f3a4b5c6d'


def boot(client, status=202, **fields):
    body = {'server': dict({'name': 'ext', 'imageRef': IMAGE, 'flavorRef': '1'}, **fields)}
    return client.post('/v2.1/servers', body, status=status).json


def server_doc(caller, server_id):
    return caller.get('/v2.1/servers/%s' % server_id).json['server']


def act(caller, server_id, body, status=202):
    return caller.post('/v2.1/servers/%s/action' % server_id, body, status=status)


def first(caller, path, key):
    return caller.get('/v2.1' + path).json[key][0]


def listed(caller, path, key):
    """A collection route: 200 with its key."""
    assert key in caller.get('/v2.1' + path).json


# Each check gets (client: a member of project demo, admin, an ACTIVE server of demo, services).
def _multi_status(client, admin, server, services):
    error = boot(client, metadata={'fake:fail': 'spawn'})['server']['id']
    services.tasks.wait()
    shown = client.get('/v2.1/servers?status=ACTIVE&status=ERROR').json['servers']
    assert {s['id'] for s in shown} == {server, error}
    assert [s['id'] for s in client.get('/v2.1/servers?status=ERROR').json['servers']] == [error]


def _sort_keys(client, admin, server, services):
    other = boot(client, name='aaa')['server']['id']
    for direction, expected in (('asc', [other, server]), ('desc', [server, other])):
        shown = client.get('/v2.1/servers?sort_key=display_name&sort_dir=' + direction).json['servers']
        assert [s['id'] for s in shown] == expected


def _hints(client, admin, server, services):
    group = client.post('/v2.1/os-server-groups', {'server_group': {'name': 'g', 'policies': ['affinity']}}).json
    body = {'server': {'name': 'hinted', 'imageRef': IMAGE, 'flavorRef': '1'},
            'os:scheduler_hints': {'group': group['server_group']['id']}}
    hinted = client.post('/v2.1/servers', body, status=202).json['server']['id']
    members = client.get('/v2.1/os-server-groups/%s' % group['server_group']['id']).json['server_group']['members']
    assert members == [hinted]


def _hidden_addresses(client, admin, server, services):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services.tasks, 'submit', lambda fn, *args: None)  # the build never runs
        building = boot(client)['server']['id']
    assert server_doc(client, building)['addresses'] == {}
    assert server_doc(client, server)['addresses'] != {}


def _multiple_create(client, admin, server, services):
    resp = boot(client, min_count=2, return_reservation_id=True)
    assert set(resp) == {'reservation_id'}
    assert len(client.get('/v2.1/servers?reservation_id=' + resp['reservation_id']).json['servers']) == 2


def _user_data(client, admin, server, services):
    boot(client, user_data=base64.b64encode(b'#!/bin/sh\n').decode())
    boot(client, user_data='not base64!', status=400)


def _bdm_v2(client, admin, server, services):
    created = boot(client, imageRef='', block_device_mapping_v2=[
        {'boot_index': '0', 'uuid': VOLUME, 'source_type': 'volume', 'destination_type': 'volume'}])
    assert server_doc(client, created['server']['id'])['os-extended-volumes:volumes_attached'] == [{'id': VOLUME}]


def _used_limits_for_admin(client, admin, server, services):
    theirs = admin.get('/v2.1/limits?tenant_id=demo').json['limits']['absolute']
    assert theirs['totalInstancesUsed'] == 1
    assert admin.get('/v2.1/limits').json['limits']['absolute']['totalInstancesUsed'] == 0


def _extended_quotas(client, admin, server, services):
    admin.put('/v2.1/os-quota-sets/demo', {'quota_set': {'instances': 1, 'force': True}})
    admin.delete('/v2.1/os-quota-sets/demo', status=202)
    assert admin.get('/v2.1/os-quota-sets/demo').json['quota_set']['instances'] == 10


def _external_events(client, admin, server, services):
    events = [{'name': 'network-changed', 'server_uuid': server}]
    assert admin.post('/v2.1/os-server-external-events', {'events': events}).json['events'][0]['code'] == 200


def _rescue_with_image(client, admin, server, services):
    act(client, server, {'rescue': {'rescue_image_ref': IMAGE}}, status=200)
    services.tasks.wait()
    assert server_doc(client, server)['status'] == 'RESCUE'


def _preserve_ephemeral(client, admin, server, services):
    act(client, server, {'rebuild': {'imageRef': IMAGE, 'preserve_ephemeral': True}})


def _deferred_delete(client, admin, server, services):
    act(client, server, {'forceDelete': None})
    services.tasks.wait()
    client.get('/v2.1/servers/%s' % server, status=404)


def _start_stop(client, admin, server, services):
    act(client, server, {'os-stop': None})
    services.tasks.wait()
    assert server_doc(client, server)['status'] == 'SHUTOFF'


def _shelve(client, admin, server, services):
    act(client, server, {'shelve': None})
    services.tasks.wait()
    assert server_doc(client, server)['status'] == 'SHELVED_OFFLOADED'


def _admin_actions(client, admin, server, services):
    act(admin, server, {'os-resetState': {'state': 'error'}})
    assert server_doc(admin, server)['status'] == 'ERROR'
    act(client, server, {'os-resetState': {'state': 'active'}}, status=403)


def _console_output(client, admin, server, services):
    assert 'output' in act(client, server, {'os-getConsoleOutput': {'length': 5}}, status=200).json


def _console_url(client, server):
    return act(client, server, {'os-getVNCConsole': {'type': 'novnc'}}, status=200).json['console']['url']


def _console_auth_tokens(client, admin, server, services):
    token = urllib.parse.parse_qs(urllib.parse.urlparse(_console_url(client, server)).query)['path'][0]
    console = admin.get('/v2/admin/os-console-auth-tokens/%s' % token.split('token=')[1]).json['console']
    assert console['instance_uuid'] == server


# alias -> check. Written by hand: an alias the server lists without its feature fails here.
SERVED = {
    # Images and flavors: response fields and routes.
    'OS-EXT-IMG-SIZE': lambda c, a, s, sv: 'OS-EXT-IMG-SIZE:size' in first(c, '/images/detail', 'images'),
    'OS-FLV-DISABLED': lambda c, a, s, sv: 'OS-FLV-DISABLED:disabled' in first(c, '/flavors/detail', 'flavors'),
    'OS-FLV-EXT-DATA': lambda c, a, s, sv: 'OS-FLV-EXT-DATA:ephemeral' in first(c, '/flavors/detail', 'flavors'),
    'os-flavor-access': lambda c, a, s, sv: 'os-flavor-access:is_public' in first(c, '/flavors/detail', 'flavors'),
    'os-flavor-extra-specs': lambda c, a, s, sv: listed(c, '/flavors/1/os-extra_specs', 'extra_specs'),
    'os-flavor-manage': lambda c, a, s, sv: a.post('/v2.1/flavors', {'flavor': {
        'name': 'ext', 'ram': 64, 'vcpus': 1, 'disk': 1}}).json['flavor']['name'] == 'ext',
    'os-flavor-rxtx': lambda c, a, s, sv: 'rxtx_factor' in first(c, '/flavors/detail', 'flavors'),
    'os-flavor-swap': lambda c, a, s, sv: 'swap' in first(c, '/flavors/detail', 'flavors'),
    # Resources of their own.
    'os-keypairs': lambda c, a, s, sv: listed(c, '/os-keypairs', 'keypairs'),
    'os-security-groups': lambda c, a, s, sv: listed(c, '/os-security-groups', 'security_groups'),
    'os-aggregates': lambda c, a, s, sv: listed(a, '/os-aggregates', 'aggregates'),
    'os-hosts': lambda c, a, s, sv: listed(a, '/os-hosts', 'hosts'),
    'os-floating-ip-pools': lambda c, a, s, sv: listed(c, '/os-floating-ip-pools', 'floating_ip_pools'),
    'os-availability-zone': lambda c, a, s, sv: listed(c, '/os-availability-zone', 'availabilityZoneInfo'),
    'os-server-groups': lambda c, a, s, sv: listed(c, '/os-server-groups', 'server_groups'),
    'os-hypervisors': lambda c, a, s, sv: listed(a, '/os-hypervisors', 'hypervisors'),
    'os-extended-hypervisors': lambda c, a, s, sv: 'host_ip' in first(a, '/os-hypervisors/detail', 'hypervisors'),
    'os-hypervisor-status': lambda c, a, s, sv: {'status', 'state'} <= set(first(a, '/os-hypervisors', 'hypervisors')),
    'os-services': lambda c, a, s, sv: listed(a, '/os-services', 'services'),
    'os-instance_usage_audit_log': lambda c, a, s, sv: listed(a, '/os-instance_usage_audit_log',
                                                              'instance_usage_audit_logs'),
    'os-server-external-events': _external_events,
    'os-simple-tenant-usage': lambda c, a, s, sv: listed(a, '/os-simple-tenant-usage', 'tenant_usages'),
    'os-migrations': lambda c, a, s, sv: listed(a, '/os-migrations', 'migrations'),
    # Limits and quotas.
    'os-quota-sets': lambda c, a, s, sv: listed(c, '/os-quota-sets/demo', 'quota_set'),
    'os-extended-quotas': _extended_quotas,
    'os-quota-class-sets': lambda c, a, s, sv: listed(a, '/os-quota-class-sets/default', 'quota_class_set'),
    'os-used-limits': lambda c, a, s, sv: c.get('/v2.1/limits').json['limits']['absolute']['totalInstancesUsed'] == 1,
    'os-used-limits-for-admin': _used_limits_for_admin,
    'os-server-group-quotas': lambda c, a, s, sv: 'server_groups' in c.get('/v2.1/os-quota-sets/demo').json[
        'quota_set'],
    # Servers: fields of the document, request fields and query parameters.
    'OS-DCF': lambda c, a, s, sv: server_doc(c, s)['OS-DCF:diskConfig'] == 'MANUAL',
    'OS-EXT-AZ': lambda c, a, s, sv: 'OS-EXT-AZ:availability_zone' in server_doc(c, s),
    'OS-EXT-IPS': lambda c, a, s, sv: 'OS-EXT-IPS:type' in server_doc(c, s)['addresses']['private'][0],
    'OS-EXT-IPS-MAC': lambda c, a, s, sv: 'OS-EXT-IPS-MAC:mac_addr' in server_doc(c, s)['addresses']['private'][0],
    'OS-EXT-SRV-ATTR': lambda c, a, s, sv: 'OS-EXT-SRV-ATTR:host' in server_doc(a, s),
    'OS-EXT-STS': lambda c, a, s, sv: server_doc(c, s)['OS-EXT-STS:vm_state'] == 'active',
    'OS-SCH-HNT': _hints,
    'OS-SRV-USG': lambda c, a, s, sv: server_doc(c, s)['OS-SRV-USG:launched_at'] is not None,
    'os-block-device-mapping-v2-boot': _bdm_v2,
    'os-config-drive': lambda c, a, s, sv: 'config_drive' in server_doc(c, s),
    'os-extended-volumes': lambda c, a, s, sv: server_doc(c, s)['os-extended-volumes:volumes_attached'] == [],
    'os-hide-server-addresses': _hidden_addresses,
    'os-multiple-create': _multiple_create,
    'os-server-list-multi-status': _multi_status,
    'os-server-sort-keys': _sort_keys,
    'os-user-data': _user_data,
    # Server actions and per-server routes.
    'os-admin-actions': _admin_actions,
    'os-console-output': _console_output,
    'os-consoles': lambda c, a, s, sv: _console_url(c, s).startswith('http://127.0.0.1:6080/vnc_auto.html?'),
    'os-console-auth-tokens': _console_auth_tokens,
    'os-deferred-delete': _deferred_delete,
    'os-extended-rescue-with-image': _rescue_with_image,
    'os-instance-actions': lambda c, a, s, sv: listed(c, '/servers/%s/os-instance-actions' % s, 'instanceActions'),
    'os-preserve-ephemeral-rebuild': _preserve_ephemeral,
    'os-rescue': lambda c, a, s, sv: 'adminPass' in act(c, s, {'rescue': None}, status=200).json,
    'os-shelve': _shelve,
    'os-server-diagnostics': lambda c, a, s, sv: a.get('/v2.1/servers/%s/diagnostics' % s).json != {},
    'os-server-password': lambda c, a, s, sv: listed(c, '/servers/%s/os-server-password' % s, 'password'),
    'os-server-start-stop': _start_stop,
}


def test_the_list_is_exactly_the_aliases_served_sorted(client):
    extensions = client.get('/v2.1/extensions').json['extensions']
    assert [e['alias'] for e in extensions] == sorted(SERVED)
    for ext in extensions:
        assert set(ext) == {'name', 'alias', 'description', 'namespace', 'updated', 'links'}
        assert ext['links'] == []


@pytest.mark.parametrize('alias', sorted(SERVED))
def test_each_alias_has_its_feature_behind_it(client, admin, services, alias):
    server = boot(client)['server']['id']
    services.tasks.wait()
    assert SERVED[alias](client, admin, server, services) in (None, True)


def test_show_and_unknown(client):
    ext = client.get('/v2/demo/extensions/OS-FLV-EXT-DATA').json['extension']
    assert ext['name'] == 'FlavorExtraData'
    resp = client.get('/v2.1/extensions/os-nothing', status=404)
    assert resp.json['itemNotFound']['code'] == 404
