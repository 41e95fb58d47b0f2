"""What reaches a guest, through the real app on the fake driver: the key, user_data, injected
files, admin password and interfaces a create or rebuild hands the driver, and the config drive
(nova's openstack/latest layout) the guest gets when the create asks for one or the operator
forces it. The fake driver records what each spawn and rebuild was given (FakeDriver.given)."""
import base64
import json
import logging

from tests.functional.test_keypairs import RSA
from tests.functional.test_server_actions import act
from tests.functional.test_servers import IMAGE
from tests.functional.test_servers import boot

USER_DATA = b'#!/bin/sh\necho configured by user_data\n'
MOTD = b'Welcome to the guest.\n'


def _keypair(client, name='key-one'):
    client.post('/v2.1/os-keypairs', {'keypair': {'name': name, 'public_key': RSA}})
    return name


def _full_create(client, **fields):
    return boot(client, name='Guest One', key_name=_keypair(client), adminPass='Guest-Pass-1',
                user_data=base64.b64encode(USER_DATA).decode(), metadata={'role': 'web'},
                personality=[{'path': '/etc/motd', 'contents': base64.b64encode(MOTD).decode()}],
                **fields).json['server']


def _drive_json(drive, name):
    return json.loads(drive['openstack/latest/%s' % name])


def test_a_create_hands_the_driver_everything_the_guest_is_given(client, services):
    created = _full_create(client)
    services.tasks.wait()
    guest, drive = services.driver.given(created['id'])
    assert (guest.admin_password, guest.user_data, guest.injected_files) == (
        'Guest-Pass-1', USER_DATA, (('/etc/motd', MOTD),))
    assert (guest.key_name, guest.key_data) == ('key-one', RSA)
    assert guest.hostname == 'guest-one.novalocal'
    server = client.get('/v2.1/servers/%s' % created['id']).json['server']
    ((address_v4, address_v6),) = server['addresses'].values()
    (interface,) = guest.network_info
    assert interface['address'] == address_v4['OS-EXT-IPS-MAC:mac_addr'] == address_v6['OS-EXT-IPS-MAC:mac_addr']
    assert interface['network']['label'] == 'private'
    assert [(subnet['ips'], subnet['gateway']) for subnet in interface['network']['subnets']] == [
        ([address_v4['addr']], '10.0.0.1'), ([address_v6['addr']], 'fd00::1')]
    # Not asked for, not forced: no config drive, and the server says so.
    assert (guest.config_drive, drive, server['config_drive']) == (False, None, '')


def test_a_config_drive_holds_novas_metadata_files(client, services):
    created = _full_create(client, config_drive=True)
    services.tasks.wait()
    server = client.get('/v2.1/servers/%s' % created['id']).json['server']
    assert server['config_drive'] == 'True'
    guest, drive = services.driver.given(created['id'])
    assert guest.config_drive
    assert sorted(drive) == ['openstack/content/0000', 'openstack/latest/meta_data.json',
                             'openstack/latest/network_data.json', 'openstack/latest/user_data',
                             'openstack/latest/vendor_data.json']
    meta = _drive_json(drive, 'meta_data.json')
    assert len(base64.b64decode(meta.pop('random_seed'))) == 512
    assert meta == {
        'uuid': created['id'], 'name': 'Guest One', 'hostname': 'guest-one.novalocal', 'launch_index': 0,
        'availability_zone': 'nova', 'project_id': 'demo', 'meta': {'role': 'web'},
        'files': [{'path': '/etc/motd', 'content_path': '/content/0000'}], 'admin_pass': 'Guest-Pass-1',
        'public_keys': {'key-one': RSA}, 'keys': [{'name': 'key-one', 'type': 'ssh', 'data': RSA}],
        'devices': []}
    assert drive['openstack/latest/user_data'] == USER_DATA
    assert drive['openstack/content/0000'] == MOTD
    assert _drive_json(drive, 'vendor_data.json') == {}

    ((address_v4, address_v6),) = server['addresses'].values()
    network = _drive_json(drive, 'network_data.json')
    (link,) = network['links']
    assert link['ethernet_mac_address'] == address_v4['OS-EXT-IPS-MAC:mac_addr']
    assert link['id'] == 'tap' + link['vif_id'][:11]
    assert network['networks'] == [
        {'id': 'network0', 'type': 'ipv4', 'link': link['id'], 'ip_address': address_v4['addr'],
         'netmask': '255.255.255.0', 'routes': [{'network': '0.0.0.0', 'netmask': '0.0.0.0', 'gateway': '10.0.0.1'}],
         'network_id': guest.network_info[0]['network']['id'], 'services': []},
        {'id': 'network1', 'type': 'ipv6', 'link': link['id'], 'ip_address': address_v6['addr'],
         'netmask': 'ffff:ffff:ffff:ffff::', 'routes': [{'network': '::', 'netmask': '::', 'gateway': 'fd00::1'}],
         'network_id': guest.network_info[0]['network']['id'], 'services': []}]
    assert network['services'] == []


def test_a_config_drive_without_key_files_or_user_data_leaves_their_entries_out(client, services):
    created = boot(client, config_drive=True, networks='none').json['server']
    services.tasks.wait()
    _guest, drive = services.driver.given(created['id'])
    assert sorted(drive) == ['openstack/latest/meta_data.json', 'openstack/latest/network_data.json',
                             'openstack/latest/vendor_data.json']
    meta = _drive_json(drive, 'meta_data.json')
    assert not {'meta', 'files', 'public_keys', 'keys'} & set(meta)
    assert meta['admin_pass'] == created['adminPass']  # the generated one the create answered
    assert _drive_json(drive, 'network_data.json') == {}


def test_force_config_drive_gives_every_new_server_one(client, services, conf):
    conf.set_override('force_config_drive', True)
    created = boot(client).json['server']
    services.tasks.wait()
    assert client.get('/v2.1/servers/%s' % created['id']).json['server']['config_drive'] == 'True'
    guest, drive = services.driver.given(created['id'])
    assert guest.config_drive and _drive_json(drive, 'meta_data.json')['uuid'] == created['id']


def test_a_rebuild_hands_the_driver_its_new_password_and_files_and_keeps_the_rest(client, services):
    created = _full_create(client, config_drive=True)
    services.tasks.wait()
    before, _drive = services.driver.given(created['id'])
    banner = b'rebuilt\n'
    resp = act(client, created['id'], {'rebuild': {'imageRef': IMAGE, 'adminPass': 'Rebuilt-Pass-2', 'personality': [
        {'path': '/etc/banner', 'contents': base64.b64encode(banner).decode()}]}})
    assert resp.json['server']['adminPass'] == 'Rebuilt-Pass-2'
    services.tasks.wait()
    guest, drive = services.driver.given(created['id'])
    assert (guest.admin_password, guest.injected_files) == ('Rebuilt-Pass-2', (('/etc/banner', banner),))
    assert (guest.key_data, guest.user_data, guest.network_info, guest.config_drive) == (
        RSA, USER_DATA, before.network_info, True)
    meta = _drive_json(drive, 'meta_data.json')
    assert (meta['admin_pass'], meta['files']) == ('Rebuilt-Pass-2', [{'path': '/etc/banner',
                                                                       'content_path': '/content/0000'}])
    assert drive['openstack/content/0000'] == banner


def test_a_rebuild_under_force_config_drive_gives_the_guest_one(client, services, conf):
    created = boot(client).json['server']
    services.tasks.wait()
    conf.set_override('force_config_drive', True)
    act(client, created['id'], {'rebuild': {'imageRef': IMAGE}})
    services.tasks.wait()
    assert client.get('/v2.1/servers/%s' % created['id']).json['server']['config_drive'] == 'True'
    guest, drive = services.driver.given(created['id'])
    assert guest.config_drive and drive is not None


def test_the_guests_secrets_reach_no_log(client, services, caplog):
    caplog.set_level(logging.DEBUG)
    created = _full_create(client, config_drive=True)
    services.tasks.wait()
    guest, _drive = services.driver.given(created['id'])
    logging.getLogger('compute_api.test').info('guest %r', guest)  # as a careless log line would show it
    act(client, created['id'], {'rebuild': {'imageRef': IMAGE, 'adminPass': 'Rebuilt-Pass-2'}})
    services.tasks.wait()
    assert 'guest-one.novalocal' in caplog.text
    for secret in ('Guest-Pass-1', 'Rebuilt-Pass-2', USER_DATA.decode().strip(), RSA, MOTD.decode().strip()):
        assert secret not in caplog.text
