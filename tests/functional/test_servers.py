"""POST /servers, GET/PUT/DELETE /servers/{id}: the create fields, the build, the server document."""
import re

import pytest

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
UUID_RE = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
PREFIXES = ['/v2.1', '/v2.1/demo', '/v2/demo']

# Every key of nova's v2.1 server document a project member sees (catalogue §4.1).
MEMBER_KEYS = {
    'id', 'name', 'status', 'tenant_id', 'user_id', 'metadata', 'hostId', 'image', 'flavor', 'created',
    'updated', 'addresses', 'accessIPv4', 'accessIPv6', 'links', 'key_name', 'config_drive', 'security_groups',
    'OS-DCF:diskConfig', 'OS-EXT-AZ:availability_zone', 'OS-EXT-STS:vm_state', 'OS-EXT-STS:task_state',
    'OS-EXT-STS:power_state', 'OS-SRV-USG:launched_at', 'OS-SRV-USG:terminated_at',
    'os-extended-volumes:volumes_attached'}
BASIC_KEYS = {'id', 'name', 'status', 'tenant_id', 'user_id', 'metadata', 'hostId', 'image', 'flavor', 'created',
              'updated', 'addresses', 'accessIPv4', 'accessIPv6', 'links', 'OS-DCF:diskConfig'}
ADMIN_KEYS = {'OS-EXT-SRV-ATTR:host', 'OS-EXT-SRV-ATTR:hypervisor_hostname', 'OS-EXT-SRV-ATTR:instance_name'}


def boot(client, prefix='/v2.1', status=202, **fields):
    body = {'server': dict({'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'}, **fields)}
    return client.post(prefix + '/servers', body, status=status)


def fault_message(resp):
    (fault,) = resp.json.values()
    return fault['message']


@pytest.mark.parametrize('prefix', PREFIXES)
def test_create_answers_202_location_and_novas_create_document(client, services, prefix):
    resp = boot(client, prefix)
    server = resp.json['server']
    assert set(server) == {'id', 'links', 'adminPass', 'OS-DCF:diskConfig', 'security_groups'}
    assert UUID_RE.match(server['id'])
    assert resp.headers['Location'] == server['links'][0]['href']
    assert server['links'][0] == {'rel': 'self', 'href': 'http://localhost%s/servers/%s' % (prefix, server['id'])}
    bookmark = prefix.replace('/v2.1', '').replace('/v2', '')
    assert server['links'][1] == {'rel': 'bookmark', 'href': 'http://localhost%s/servers/%s' % (bookmark,
                                                                                                server['id'])}
    assert len(server['adminPass']) == 12
    assert server['OS-DCF:diskConfig'] == 'MANUAL'
    assert server['security_groups'] == [{'name': 'default'}]


def test_build_ends_active_with_novas_server_document(client, services):
    server_id = boot(client, metadata={'My Server Name': 'Apache1'}).json['server']['id']
    services.tasks.wait()
    server = client.get('/v2.1/demo/servers/%s' % server_id).json['server']
    assert set(server) == MEMBER_KEYS | {'progress'}
    assert (server['status'], server['progress']) == ('ACTIVE', 100)
    assert (server['OS-EXT-STS:vm_state'], server['OS-EXT-STS:task_state'],
            server['OS-EXT-STS:power_state']) == ('active', None, 1)
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$', server['OS-SRV-USG:launched_at'])
    assert server['OS-SRV-USG:terminated_at'] is None
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', server['created'])
    assert (server['name'], server['tenant_id'], server['user_id']) == ('vm', 'demo', 'demo')
    assert server['metadata'] == {'My Server Name': 'Apache1'}
    assert server['image'] == {'id': IMAGE, 'links': [
        {'rel': 'bookmark', 'href': 'http://localhost/demo/images/%s' % IMAGE}]}
    assert server['flavor'] == {'id': '1', 'links': [{'rel': 'bookmark', 'href': 'http://localhost/demo/flavors/1'}]}
    assert re.match(r'^[0-9a-f]{56}$', server['hostId'])
    (v4, v6), = server['addresses'].values()
    assert list(server['addresses']) == ['private']
    assert (v4['version'], v4['addr'], v4['OS-EXT-IPS:type']) == (4, '10.0.0.2', 'fixed')
    assert (v6['version'], v6['addr'], v6['OS-EXT-IPS:type']) == (6, 'fd00::2', 'fixed')
    assert re.match(r'^fa:16:3e(:[0-9a-f]{2}){3}$', v4['OS-EXT-IPS-MAC:mac_addr'])
    assert v4['OS-EXT-IPS-MAC:mac_addr'] == v6['OS-EXT-IPS-MAC:mac_addr']
    assert (server['accessIPv4'], server['accessIPv6'], server['config_drive'], server['key_name']) == (
        '', '', '', None)
    assert server['security_groups'] == [{'name': 'default'}]
    assert server['OS-EXT-AZ:availability_zone'] == 'nova'
    assert server['os-extended-volumes:volumes_attached'] == []
    assert services.driver.list_instances() == [server_id]


def test_admin_sees_extended_server_attributes(client, admin, services):
    server_id = boot(client).json['server']['id']
    services.tasks.wait()
    server = admin.get('/v2.1/servers/%s' % server_id).json['server']
    assert set(server) == MEMBER_KEYS | ADMIN_KEYS | {'progress'}
    assert server['OS-EXT-SRV-ATTR:host'] == 'compute-api'
    assert server['OS-EXT-SRV-ATTR:hypervisor_hostname'] == 'fake-mini'
    assert re.match(r'^instance-[0-9a-f]{8}$', server['OS-EXT-SRV-ATTR:instance_name'])


def test_image_and_flavor_may_be_full_urls(client, services):
    server_id = boot(client, imageRef='http://localhost/v2.1/images/%s' % IMAGE,
                     flavorRef='http://localhost/v2.1/flavors/2').json['server']['id']
    server = client.get('/v2.1/servers/%s' % server_id).json['server']
    assert (server['image']['id'], server['flavor']['id']) == (IMAGE, '2')


def test_every_create_field_is_kept(client, services):
    user_data = 'IyEvYmluL3NoCmVjaG8gaGk='
    server_id = boot(client, name='full', metadata={'a': '1'}, accessIPv4='192.0.2.10', accessIPv6='2001:db8::10',
                     adminPass='s3cret-Pass', personality=[{'path': '/etc/motd', 'contents': 'aGVsbG8='}],
                     networks='auto', user_data=user_data, availability_zone='nova', config_drive=True,
                     **{'OS-DCF:diskConfig': 'AUTO'}).json['server']
    assert server_id['adminPass'] == 's3cret-Pass'
    assert server_id['OS-DCF:diskConfig'] == 'AUTO'
    services.tasks.wait()
    server = client.get('/v2.1/servers/%s' % server_id['id']).json['server']
    assert (server['name'], server['metadata'], server['accessIPv4'], server['accessIPv6'], server['config_drive'],
            server['OS-DCF:diskConfig'], server['status']) == (
        'full', {'a': '1'}, '192.0.2.10', '2001:db8::10', 'True', 'AUTO', 'ACTIVE')


def test_access_ipv6_is_stored_compressed(client, services):
    server_id = boot(client, accessIPv6='0000:0000:0000:0000:0000:babe:220.12.22.2').json['server']['id']
    assert client.get('/v2.1/servers/%s' % server_id).json['server']['accessIPv6'] == '::babe:dc0c:1602'


def test_scheduler_hints_are_accepted(client, services):
    body = {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'},
            'os:scheduler_hints': {'same_host': ['9b3c7a6e-6c0d-4f3e-9a8e-0d1b2c3d4e5f'], 'query': '["=", "$x", 1]'}}
    client.post('/v2.1/servers', body, status=202)
    body['OS-SCH-HNT:scheduler_hints'] = body.pop('os:scheduler_hints')
    client.post('/v2/demo/servers', body, status=202)


def _group(client, policy):
    body = {'server_group': {'name': policy, 'policies': [policy]}}
    return client.post('/v2.1/os-server-groups', body).json['server_group']['id']


def _boot_in_group(client, group, status=202, **fields):
    body = {'server': dict({'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'}, **fields),
            'os:scheduler_hints': {'group': group}}
    return client.post('/v2.1/servers', body, status=status)


def test_group_hint_makes_the_server_a_member(client, services):
    group = _group(client, 'affinity')
    ids = [_boot_in_group(client, group).json['server']['id'] for _ in range(2)]
    services.tasks.wait()
    assert client.get('/v2.1/os-server-groups/%s' % group).json['server_group']['members'] == ids
    assert {client.get('/v2.1/servers/%s' % i).json['server']['status'] for i in ids} == {'ACTIVE'}


def test_anti_affinity_group_holds_one_server_on_one_host(client, services):
    group = _group(client, 'anti-affinity')
    first = _boot_in_group(client, group).json['server']['id']
    second = _boot_in_group(client, group).json['server']['id']
    services.tasks.wait()
    assert client.get('/v2.1/servers/%s' % first).json['server']['status'] == 'ACTIVE'
    refused = client.get('/v2.1/servers/%s' % second).json['server']
    assert refused['status'] == 'ERROR'
    assert refused['fault']['message'] == 'No valid host was found. There are not enough hosts available.'
    assert services.driver.list_instances() == [first]


def test_group_hint_errors(client, services):
    resp = _boot_in_group(client, '6a1f4f4e-0000-4000-8000-000000000000', status=400)
    assert fault_message(resp) == 'Instance group 6a1f4f4e-0000-4000-8000-000000000000 could not be found.'
    theirs = _group(client.as_user('other'), 'affinity')
    _boot_in_group(client, theirs, status=400)
    services.conf.set_override('server_group_members', 1, group='quota')
    group = _group(client, 'affinity')
    _boot_in_group(client, group)
    resp = _boot_in_group(client, group, status=403)
    assert fault_message(resp) == 'Quota exceeded, too many servers in group'
    assert len(client.get('/v2.1/servers').json['servers']) == 1


def test_networks_none_gives_no_addresses(client, services):
    server_id = boot(client, networks='none').json['server']['id']
    services.tasks.wait()
    assert client.get('/v2.1/servers/%s' % server_id).json['server']['addresses'] == {}


def test_networks_by_uuid_and_fixed_ip(client, services):
    from compute_api.compute import network
    private = network.network_id('private')
    server_id = boot(client, networks=[{'uuid': private, 'fixed_ip': '10.0.0.77'}]).json['server']['id']
    services.tasks.wait()
    addresses = client.get('/v2.1/servers/%s' % server_id).json['server']['addresses']['private']
    assert [a['addr'] for a in addresses] == ['10.0.0.77', 'fd00::2']
    resp = boot(client, status=400, networks=[{'uuid': private, 'fixed_ip': '10.0.0.77'}])
    assert 'already in use' in fault_message(resp)
    resp = boot(client, status=400, networks=[{'uuid': '3f1d6a4c-1111-4b5e-9e0e-5d2c1b0a9f8e'}])
    assert fault_message(resp) == 'Network 3f1d6a4c-1111-4b5e-9e0e-5d2c1b0a9f8e could not be found.'


def test_each_server_gets_its_own_address(client, services):
    ids = [boot(client).json['server']['id'] for _ in range(3)]
    services.tasks.wait()
    addresses = [client.get('/v2.1/servers/%s' % i).json['server']['addresses']['private'][0]['addr']
                 for i in ids]
    assert addresses == ['10.0.0.2', '10.0.0.3', '10.0.0.4']


def test_lowest_free_address_skips_fixed_ips_and_reuses_freed_ones(client, services):
    from compute_api.compute import network
    private = network.network_id('private')

    def address(server_id):
        return client.get('/v2.1/servers/%s' % server_id).json['server']['addresses']['private'][0]['addr']

    fixed = boot(client, networks=[{'uuid': private, 'fixed_ip': '10.0.0.3'}]).json['server']['id']
    first, second = [boot(client).json['server']['id'] for _ in range(2)]
    services.tasks.wait()
    assert [address(i) for i in (fixed, first, second)] == ['10.0.0.3', '10.0.0.2', '10.0.0.4']
    for server_id in (fixed, first):
        client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    again = [boot(client).json['server']['id'] for _ in range(3)]
    services.tasks.wait()
    assert [address(i) for i in again] == ['10.0.0.2', '10.0.0.3', '10.0.0.5']


def _image(services, owner, is_public=False, **props):
    from compute_api.db import images as db_images
    with services.store.write() as conn:
        return db_images.create(conn, 'img', owner=owner, is_public=is_public, props=props)['id']


def test_a_private_image_boots_for_its_project_and_admins_only(client, admin, services):
    own, others = _image(services, 'demo'), _image(services, 'other')
    boot(client, imageRef=own)
    resp = boot(client, status=400, imageRef=others)
    assert fault_message(resp) == 'Can not find requested image'
    boot(admin, imageRef=others)


def test_the_images_auto_disk_config_property_decides_the_disk_config(client, services):
    auto = _image(services, 'demo', auto_disk_config='True')
    disabled = _image(services, 'demo', auto_disk_config='disabled')
    assert boot(client, imageRef=auto).json['server']['OS-DCF:diskConfig'] == 'AUTO'
    assert boot(client, imageRef=disabled).json['server']['OS-DCF:diskConfig'] == 'MANUAL'
    resp = boot(client, status=400, imageRef=disabled, **{'OS-DCF:diskConfig': 'AUTO'})
    assert fault_message(resp) == 'Requested image %s has automatic disk resize disabled.' % disabled


# -- bad requests ----------------------------------------------------------------------------------

@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
@pytest.mark.parametrize('fields, message', [
    ({'imageRef': 'not-a-uuid'}, 'Invalid imageRef provided.'),
    ({'imageRef': '0a8b0b2c-4b38-4c7e-9f3e-7c1f0f0c0c0c'}, 'Can not find requested image'),
    ({'flavorRef': '999'}, 'Invalid flavorRef provided.'),
    ({'imageRef': ''}, 'Invalid imageRef provided.'),
    ({'min_count': 3, 'max_count': 2}, 'min_count must be <= max_count'),
    ({'key_name': 'nokey'}, 'Invalid key_name provided.'),
    ({'availability_zone': 'elsewhere'}, 'The requested availability zone is not available'),
    ({'security_groups': [{'name': 'nogroup'}]}, 'Security group nogroup not found for project demo.'),
])
def test_unusable_references_are_400(client, services, prefix, fields, message):
    resp = boot(client, prefix, status=400, **fields)
    assert resp.json == {'badRequest': {'code': 400, 'message': message}}


@pytest.mark.parametrize('fields', [
    {'name': ''}, {'name': ' padded '}, {'accessIPv4': '300.1.1.1'}, {'user_data': 'not base64!'},
    {'metadata': {'a': 1}}, {'OS-DCF:diskConfig': 'SOMETIMES'}, {'min_count': 0}, {'bogus': 1},
    {'personality': [{'path': '/x', 'contents': '%%%'}]}, {'networks': 'everywhere'},
    {'block_device_mapping_v2': [{'boot_index': 'first'}]}, {'user_data': 'QUJD' * 16384},
])
def test_invalid_fields_are_400_on_v21(client, services, fields):
    resp = boot(client, status=400, **fields)
    assert list(resp.json) == ['badRequest']


def test_missing_server_or_name_is_400(client, services):
    client.post('/v2.1/servers', {'name': 'vm'}, status=400)
    client.post('/v2.1/servers', {'server': {'imageRef': IMAGE, 'flavorRef': '1'}}, status=400)
    client.post('/v2/demo/servers', {'server': {'name': '   ', 'imageRef': IMAGE, 'flavorRef': '1'}}, status=400)


def test_legacy_v2_ignores_unknown_keys_and_strips_the_name(client, services):
    server_id = boot(client, '/v2/demo', name='  padded  ', bogus=1).json['server']['id']
    assert client.get('/v2/demo/servers/%s' % server_id).json['server']['name'] == 'padded'


def test_legacy_v2_metadata_too_long_is_413(client, services):
    resp = boot(client, '/v2/demo', status=413, metadata={'k': 'v' * 256})
    assert list(resp.json) == ['overLimit']
    boot(client, status=400, metadata={'k': 'v' * 256})


def test_private_flavor_needs_access(client, admin, services):
    flavor = admin.post('/v2.1/flavors', {'flavor': {'name': 'secret', 'ram': 64, 'vcpus': 1, 'disk': 1,
                                                     'os-flavor-access:is_public': False}}).json['flavor']
    resp = boot(client, status=400, flavorRef=flavor['id'])
    assert fault_message(resp) == 'Invalid flavorRef provided.'
    admin.post('/v2.1/flavors/%s/action' % flavor['id'], {'addTenantAccess': {'tenant': 'demo'}})
    boot(client, flavorRef=flavor['id'])


def test_flavor_too_small_for_the_image_is_400(client, admin, services):
    flavor = admin.post('/v2.1/flavors', {'flavor': {'name': 'small', 'ram': 64, 'vcpus': 1, 'disk': 1}}
                        ).json['flavor']
    from compute_api.db import models
    with services.store.write() as conn:
        conn.execute(models.images.update().where(models.images.c.id == IMAGE).values(min_ram=128))
    resp = boot(client, status=400, flavorRef=flavor['id'])
    assert fault_message(resp) == "Flavor's memory is too small for requested image."


def test_personality_over_quota_is_403(client, services):
    files = [{'path': '/f%d' % i, 'contents': 'aGVsbG8='} for i in range(6)]
    resp = boot(client, status=403, personality=files)
    assert fault_message(resp) == 'Personality file limit exceeded'
    assert resp.headers['Retry-After'] == '0'


@pytest.mark.parametrize('files, message', [
    ([{'path': '/' + 'p' * 255, 'contents': 'aGVsbG8='}], 'Personality file path too long'),
    ([{'path': '/big', 'contents': 'QUJD' * 3414}], 'Personality file content too long'),
])
def test_personality_path_and_content_limits_are_403(client, services, files, message):
    assert fault_message(boot(client, status=403, personality=files)) == message


def test_key_name_of_the_callers_keypair(client, services):
    client.post('/v2.1/os-keypairs', {'keypair': {'name': 'mykey'}})
    server_id = boot(client, key_name='mykey').json['server']['id']
    assert client.get('/v2.1/servers/%s' % server_id).json['server']['key_name'] == 'mykey'
    boot(client.as_user('other'), status=400, key_name='mykey')


def test_legacy_v2_takes_an_integer_flavor_ref_and_null_user_data(client, services):
    server_id = boot(client, '/v2/demo', flavorRef=2, user_data=None).json['server']['id']
    assert client.get('/v2/demo/servers/%s' % server_id).json['server']['flavor']['id'] == '2'


def test_metadata_over_quota_is_403(client, services):
    resp = boot(client, status=403, metadata={'k%d' % i: 'v' for i in range(129)})
    assert fault_message(resp) == 'Maximum number of metadata items exceeds 128'


def test_boot_from_volume_shows_an_empty_image(client, services):
    volume = '5b8a1e2c-7d3f-4a6b-9c0d-1e2f3a4b5c6d'
    server = boot(client, imageRef='', block_device_mapping_v2=[
        {'boot_index': '0', 'uuid': volume, 'source_type': 'volume', 'destination_type': 'volume'}]).json['server']
    services.tasks.wait()
    shown = client.get('/v2.1/servers/%s' % server['id']).json['server']
    assert shown['image'] == ''
    assert shown['os-extended-volumes:volumes_attached'] == [{'id': volume}]
    assert shown['status'] == 'ACTIVE'


def test_image_to_local_block_device_boots_the_image(client, services):
    server = boot(client, imageRef='', block_device_mapping_v2=[
        {'boot_index': 0, 'uuid': IMAGE, 'source_type': 'image', 'destination_type': 'local'}]).json['server']
    shown = client.get('/v2.1/servers/%s' % server['id']).json['server']
    assert shown['image']['id'] == IMAGE


# -- the build -------------------------------------------------------------------------------------

def test_failed_build_is_error_with_a_fault_admins_see_in_detail(client, admin, services):
    server_id = boot(client, metadata={'fake:fail': 'spawn'}).json['server']['id']
    services.tasks.wait()
    server = client.get('/v2.1/servers/%s' % server_id).json['server']
    assert server['status'] == 'ERROR'
    assert 'progress' not in server
    assert set(server['fault']) == {'code', 'message', 'created'}
    assert server['fault']['code'] == 500
    assert server['fault']['message'] == 'The fake driver was asked to fail spawn.'
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', server['fault']['created'])
    detailed = admin.get('/v2.1/servers/%s' % server_id).json['server']['fault']
    assert 'Traceback' in detailed['details']
    assert services.driver.list_instances() == []


def test_unexpected_driver_error_shows_no_internals(client, services, monkeypatch):
    def broken_spawn(instance, image, admin_password):
        raise OSError('/var/lib/secret/path: disk on fire')
    monkeypatch.setattr(services.driver, 'spawn', broken_spawn)
    server_id = boot(client).json['server']['id']
    services.tasks.wait()
    fault = client.get('/v2.1/servers/%s' % server_id).json['server']['fault']
    assert fault['message'] == 'OSError'
    assert 'details' not in fault


def test_paths_in_a_driver_message_are_hidden_from_non_admins(client, admin, services, monkeypatch):
    from compute_api.virt import driver

    def failing_spawn(instance, image, admin_password):
        raise driver.DriverError('Cannot read /var/lib/compute/disk.img for 10.0.0.0/24')
    monkeypatch.setattr(services.driver, 'spawn', failing_spawn)
    server_id = boot(client).json['server']['id']
    services.tasks.wait()
    fault = client.get('/v2.1/servers/%s' % server_id).json['server']['fault']
    assert fault['message'] == 'Cannot read <path> for 10.0.0.0/24'
    fault = admin.get('/v2.1/servers/%s' % server_id).json['server']['fault']
    assert fault['message'] == 'Cannot read /var/lib/compute/disk.img for 10.0.0.0/24'


def test_building_server_hides_its_addresses_from_non_admins(client, admin, services, monkeypatch):
    queued = []
    monkeypatch.setattr(services.tasks, 'submit', lambda fn, *args: queued.append((fn, args)))
    server_id = boot(client).json['server']['id']
    server = client.get('/v2.1/servers/%s' % server_id).json['server']
    assert (server['status'], server['progress'], server['addresses']) == ('BUILD', 0, {})
    assert (server['OS-EXT-STS:vm_state'], server['OS-EXT-STS:task_state']) == ('building', 'scheduling')
    assert server['hostId'] == ''
    assert admin.get('/v2.1/servers/%s' % server_id).json['server']['addresses'] != {}


# -- update and delete -----------------------------------------------------------------------------

@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_update_name_and_access_ips(client, services, prefix):
    server_id = boot(client).json['server']['id']
    resp = client.put('%s/servers/%s' % (prefix, server_id), {'server': {
        'name': 'renamed', 'accessIPv4': '198.51.100.1', 'accessIPv6': '2001:db8::1'}})
    server = resp.json['server']
    assert (server['name'], server['accessIPv4'], server['accessIPv6']) == ('renamed', '198.51.100.1', '2001:db8::1')
    # nova answers an update with the server without its extensions' attributes
    assert set(server) == BASIC_KEYS | {'progress'}
    cleared = client.put('%s/servers/%s' % (prefix, server_id), {'server': {'accessIPv4': ''}}).json['server']
    assert cleared['accessIPv4'] == ''
    expanded = {'server': {'accessIPv6': '0000:0000:0000:0000:0000:babe:220.12.22.2'}}
    assert client.put('%s/servers/%s' % (prefix, server_id), expanded).json['server']['accessIPv6'] == (
        '::babe:dc0c:1602')


def test_update_rejects_bad_values(client, services):
    server_id = boot(client).json['server']['id']
    client.put('/v2.1/servers/%s' % server_id, {'server': {'name': ''}}, status=400)
    client.put('/v2.1/servers/%s' % server_id, {'server': {'hostId': 'x'}}, status=400)
    client.put('/v2.1/servers/%s' % server_id, {'server': {'accessIPv4': 'nope'}}, status=400)


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_delete_is_204_then_404_and_the_driver_forgets_it(client, services, prefix):
    server_id = boot(client).json['server']['id']
    services.tasks.wait()
    client.delete('%s/servers/%s' % (prefix, server_id), status=204)
    services.tasks.wait()
    resp = client.get('%s/servers/%s' % (prefix, server_id), status=404)
    assert resp.json == {'itemNotFound': {'code': 404, 'message': 'Instance %s could not be found.' % server_id}}
    assert services.driver.list_instances() == []


def test_another_projects_server_is_a_404_like_a_random_id(client, services):
    server_id = boot(client).json['server']['id']
    other = client.as_user('other')
    random_id = '6a1f4f4e-0000-4000-8000-000000000000'
    for method in ('get', 'delete'):
        mine = getattr(other, method)('/v2.1/servers/%s' % server_id, status=404).json
        random = getattr(other, method)('/v2.1/servers/%s' % random_id, status=404).json
        assert mine == {'itemNotFound': {'code': 404, 'message': random['itemNotFound']['message'].replace(
            random_id, server_id)}}
    other.put('/v2.1/servers/%s' % server_id, {'server': {'name': 'x'}}, status=404)
    client.get('/v2.1/servers/%s' % server_id)


def test_delete_while_scheduling_never_reaches_the_driver(client, services, monkeypatch):
    queued = []
    monkeypatch.setattr(services.tasks, 'submit', lambda fn, *args: queued.append((fn, args)))
    server_id = boot(client).json['server']['id']
    client.delete('/v2.1/servers/%s' % server_id)
    for fn, args in queued:
        fn(*args)
    client.get('/v2.1/servers/%s' % server_id, status=404)
    assert services.driver.list_instances() == []


def test_delete_while_spawning_wins_over_the_build(client, admin, services, monkeypatch):
    import threading
    spawning, release = threading.Event(), threading.Event()
    spawn = services.driver.spawn

    def held_spawn(instance, image, admin_password):
        spawning.set()
        assert release.wait(30)
        spawn(instance, image, admin_password)
    monkeypatch.setattr(services.driver, 'spawn', held_spawn)
    server_id = boot(client).json['server']['id']
    assert spawning.wait(30)
    client.delete('/v2.1/servers/%s' % server_id)
    release.set()
    services.tasks.wait()
    client.get('/v2.1/servers/%s' % server_id, status=404)
    assert services.driver.list_instances() == []
    deleted = admin.get('/v2.1/servers/detail?all_tenants=1&changes-since=2000-01-01T00:00:00Z').json['servers']
    (row,) = [s for s in deleted if s['id'] == server_id]
    assert row['status'] == 'DELETED'
    assert row['OS-SRV-USG:launched_at'] is None  # it never became ACTIVE


def test_delete_during_a_spawn_delay(client, services):
    server_id = boot(client, metadata={'fake:spawn_delay': '0.2'}).json['server']['id']
    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    client.get('/v2.1/servers/%s' % server_id, status=404)
    assert services.driver.list_instances() == []


@pytest.mark.parametrize('delay', ['3600', '5.5', '-1', 'soon', 'nan', 'inf'])
def test_a_spawn_delay_beyond_the_operators_bound_is_refused_at_create(client, services, delay):
    # [fake] max_spawn_delay (5 s by default) bounds what a project member may hold a task thread for.
    resp = boot(client, status=400, metadata={'fake:spawn_delay': delay})
    assert fault_message(resp) == 'Invalid metadata: fake:spawn_delay must be a number of seconds from 0 to 5.'
    assert client.get('/v2.1/servers').json == {'servers': []}
    services.tasks.wait()
    assert services.driver.list_instances() == []


def test_the_operator_sets_the_spawn_delay_bound(client, services, conf):
    conf.set_override('max_spawn_delay', 0.05, group='fake')
    resp = boot(client, status=400, metadata={'fake:spawn_delay': '1'})
    assert 'from 0 to 0.05' in fault_message(resp)
    server_id = boot(client, metadata={'fake:spawn_delay': '0.05'}).json['server']['id']
    services.tasks.wait()
    assert client.get('/v2.1/servers/%s' % server_id).json['server']['status'] == 'ACTIVE'


def test_locked_server_refuses_its_owners_delete(client, admin, services):
    from compute_api.db import models
    server_id = boot(client).json['server']['id']
    with services.store.write() as conn:
        conn.execute(models.instances.update().where(models.instances.c.uuid == server_id).values(
            locked=True, locked_by='owner'))
    resp = client.delete('/v2.1/servers/%s' % server_id, status=409)
    assert fault_message(resp) == 'Instance %s is locked' % server_id
    admin.delete('/v2.1/servers/%s' % server_id)


# -- request bodies the pipeline refuses ----------------------------------------------------------

@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_malformed_json_is_400_bad_request(client, services, prefix):
    resp = client.post(prefix + '/servers', status=400, params='{"server": {"name": ',
                       headers={'Content-Type': 'application/json'})
    assert resp.json == {'badRequest': {'code': 400, 'message': 'Malformed request body'}}


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_oversize_body_is_413(client, services, prefix):
    limit = services.conf.oslo_middleware.max_request_body_size
    body = '{"server": {"name": "%s"}}' % ('x' * limit)
    resp = client.post(prefix + '/servers', status=413, params=body, headers={'Content-Type': 'application/json'})
    assert list(resp.json) == ['overLimit']


# -- microversion 2.3: more extended attributes, delete_on_termination ---------------------------

EXTENDED_KEYS_2_3 = {'OS-EXT-SRV-ATTR:reservation_id', 'OS-EXT-SRV-ATTR:launch_index', 'OS-EXT-SRV-ATTR:hostname',
                     'OS-EXT-SRV-ATTR:kernel_id', 'OS-EXT-SRV-ATTR:ramdisk_id',
                     'OS-EXT-SRV-ATTR:root_device_name', 'OS-EXT-SRV-ATTR:user_data'}


def test_more_extended_attributes_from_2_3_for_admins_only(client, admin, services):
    volume = '5b8a1e2c-7d3f-4a6b-9c0d-1e2f3a4b5c6d'
    server_id = boot(client, name='Web Server', user_data='QUJD', imageRef='', block_device_mapping_v2=[
        {'boot_index': '0', 'uuid': volume, 'source_type': 'volume', 'destination_type': 'volume',
         'delete_on_termination': True}]).json['server']['id']
    services.tasks.wait()
    path = '/v2.1/servers/%s' % server_id
    before = admin.as_user('admin', version='2.2').get(path).json['server']
    assert not EXTENDED_KEYS_2_3 & set(before)
    assert before['os-extended-volumes:volumes_attached'] == [{'id': volume}]
    shown = admin.as_user('admin', version='2.3').get(path).json['server']
    assert set(shown) == MEMBER_KEYS | ADMIN_KEYS | EXTENDED_KEYS_2_3 | {'progress'}
    assert shown['OS-EXT-SRV-ATTR:reservation_id'].startswith('r-')
    assert shown['OS-EXT-SRV-ATTR:launch_index'] == 0
    assert shown['OS-EXT-SRV-ATTR:hostname'] == 'web-server'
    assert shown['OS-EXT-SRV-ATTR:user_data'] == 'QUJD'
    assert shown['OS-EXT-SRV-ATTR:root_device_name'] == '/dev/vda'
    assert shown['os-extended-volumes:volumes_attached'] == [{'id': volume, 'delete_on_termination': True}]
    listed = admin.as_user('admin', version='2.3').get('/v2.1/servers/detail?all_tenants=1').json['servers']
    assert listed[0]['OS-EXT-SRV-ATTR:user_data'] == 'QUJD'
    member = client.as_user('demo', version='2.3').get(path).json['server']
    assert not EXTENDED_KEYS_2_3 & set(member)  # the attributes stay behind the admin policy
    assert member['os-extended-volumes:volumes_attached'] == [{'id': volume, 'delete_on_termination': True}]
