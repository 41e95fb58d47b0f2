"""The whole service on the libvirt driver, against libvirt's built-in test hypervisor
(test:///default): a server builds to ACTIVE as a running libvirt domain and its DELETE removes it."""
import base64
import json
import xml.etree.ElementTree as ET

import pytest

libvirt = pytest.importorskip('libvirt', reason='libvirt-python is not installed')

from tests.functional.test_keypairs import RSA  # noqa: E402
from tests.unit.virt.test_libvirt import read_iso  # noqa: E402

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


@pytest.fixture
def conf(conf):
    conf.set_override('compute_driver', 'libvirt')
    conf.set_override('connection_uri', 'test:///default', group='libvirt')
    conf.set_override('virt_type', 'test', group='libvirt')
    return conf


@pytest.fixture
def hypervisor():
    """Our own connection to the test hypervisor; any domain a failed test left is removed."""
    conn = libvirt.open('test:///default')
    known = {domain.UUIDString() for domain in conn.listAllDomains()}
    yield conn
    for domain in conn.listAllDomains():
        if domain.UUIDString() not in known:
            if domain.isActive():
                domain.destroy()
            domain.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
    conn.close()


def test_a_server_is_a_libvirt_domain_from_create_to_delete(client, admin, services, hypervisor):
    body = {'server': {'name': 'on-libvirt', 'imageRef': IMAGE, 'flavorRef': '1'}}
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    services.tasks.wait()

    server = admin.get('/v2.1/servers/%s' % server_id).json['server']
    assert (server['status'], server['OS-EXT-STS:power_state']) == ('ACTIVE', 1)
    assert server['OS-EXT-SRV-ATTR:hypervisor_hostname'] == hypervisor.getHostname()
    domain = hypervisor.lookupByUUIDString(server_id)
    assert domain.name() == server['OS-EXT-SRV-ATTR:instance_name']
    assert domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    _state, max_memory_kib, _memory, vcpus, _cpu_time = hypervisor.lookupByUUIDString(server_id).info()
    assert (max_memory_kib, vcpus) == (512 * 1024, 1)  # m1.tiny

    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    client.get('/v2.1/servers/%s' % server_id, status=404)
    with pytest.raises(libvirt.libvirtError):
        hypervisor.lookupByUUIDString(server_id)
    assert services.driver.list_instances() == []


def test_the_hypervisor_is_libvirts_node(admin, hypervisor):
    (node,) = admin.get('/v2.1/os-hypervisors/detail').json['hypervisors']
    assert node['hypervisor_hostname'] == hypervisor.getHostname()
    assert (node['hypervisor_type'], node['hypervisor_version']) == (hypervisor.getType(), hypervisor.getVersion())
    assert node['vcpus'] == hypervisor.getInfo()[2]


def _act(client, services, server_id, body, status=202):
    resp = client.post('/v2.1/servers/%s/action' % server_id, body, status=status)
    services.tasks.wait()
    return resp


def test_server_actions_drive_the_domain(client, admin, services, hypervisor):
    body = {'server': {'name': 'on-libvirt', 'imageRef': IMAGE, 'flavorRef': '1'}}
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    services.tasks.wait()

    def seen():
        server = client.get('/v2.1/servers/%s' % server_id).json['server']
        return server['status'], server['OS-EXT-STS:power_state'], hypervisor.lookupByUUIDString(server_id).state()[0]

    running, active = libvirt.VIR_DOMAIN_RUNNING, ('ACTIVE', 1, libvirt.VIR_DOMAIN_RUNNING)
    steps = [  # (action, nova's status code, (server status, power state, libvirt's state) after it)
        ({'os-stop': None}, 202, ('SHUTOFF', 4, libvirt.VIR_DOMAIN_SHUTOFF)),
        ({'os-start': None}, 202, active),
        ({'reboot': {'type': 'SOFT'}}, 202, active),
        ({'reboot': {'type': 'HARD'}}, 202, active),
        ({'pause': None}, 202, ('PAUSED', 3, libvirt.VIR_DOMAIN_PAUSED)),
        ({'unpause': None}, 202, active),
        ({'suspend': None}, 202, ('SUSPENDED', 7, libvirt.VIR_DOMAIN_SHUTOFF)),
        ({'resume': None}, 202, active),
        ({'rescue': {}}, 200, ('RESCUE', 1, running)),
        ({'unrescue': None}, 202, active),
        ({'changePassword': {'adminPass': 'n3w-secret'}}, 202, active),
        ({'rebuild': {'imageRef': IMAGE}}, 202, active),
        ({'resize': {'flavorRef': '2'}}, 202, ('VERIFY_RESIZE', 1, running)),
        ({'confirmResize': None}, 204, active),
    ]
    for action, status, expected in steps:
        _act(client, services, server_id, action, status=status)
        assert seen() == expected, action
    _state, max_memory_kib, _memory, vcpus, _cpu_time = hypervisor.lookupByUUIDString(server_id).info()
    assert (max_memory_kib, vcpus) == (2048 * 1024, 1)  # m1.small

    image_url = _act(client, services, server_id, {'createImage': {'name': 'snap'}}).headers['Location']
    image = client.get(image_url[image_url.index('/v2.1/'):]).json['image']
    assert (image['status'], image['OS-EXT-IMG-SIZE:size']) == ('ACTIVE', 20 * 1024 ** 3)  # m1.small's disk

    # shelving snapshots and offloads (the domain goes); unshelving spawns it again
    _act(client, services, server_id, {'shelve': None})
    assert client.get('/v2.1/servers/%s' % server_id).json['server']['status'] == 'SHELVED_OFFLOADED'
    assert services.driver.list_instances() == []
    _act(client, services, server_id, {'unshelve': None})
    assert seen() == active

    output = _act(client, services, server_id, {'os-getConsoleOutput': {}}, status=200).json
    assert output == {'output': ''}
    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    assert services.driver.list_instances() == []


def test_diagnostics_are_the_domains_figures(client, admin, services, hypervisor):
    body = {'server': {'name': 'on-libvirt', 'imageRef': IMAGE, 'flavorRef': '1'}}
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    services.tasks.wait()
    diagnostics = admin.get('/v2.1/servers/%s/diagnostics' % server_id).json
    assert diagnostics['memory'] == 512 * 1024  # m1.tiny, in KiB as libvirt counts
    assert 'cpu0_time' in diagnostics
    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()


def _definition(hypervisor, server_id):
    return ET.fromstring(hypervisor.lookupByUUIDString(server_id).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))


def test_the_guest_gets_its_nic_and_a_config_drive_with_what_the_api_promised(client, services, hypervisor,
                                                                              tmp_path):
    client.post('/v2.1/os-keypairs', {'keypair': {'name': 'key-one', 'public_key': RSA}})
    body = {'server': {'name': 'configured', 'imageRef': IMAGE, 'flavorRef': '1', 'config_drive': True,
                       'key_name': 'key-one', 'adminPass': 'Guest-Pass-1', 'metadata': {'role': 'web'},
                       'user_data': base64.b64encode(b'#cloud-config\n').decode(),
                       'personality': [{'path': '/etc/motd', 'contents': base64.b64encode(b'hello\n').decode()}]}}
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    services.tasks.wait()
    server = client.get('/v2.1/servers/%s' % server_id).json['server']
    assert (server['status'], server['config_drive']) == ('ACTIVE', 'True')
    ((address_v4, address_v6),) = server['addresses'].values()

    tree = _definition(hypervisor, server_id)
    (interface,) = tree.findall('devices/interface')
    assert interface.find('mac').get('address') == address_v4['OS-EXT-IPS-MAC:mac_addr']
    assert interface.find('source').get('network') == 'default'
    drive = tmp_path / 'instances' / server_id / 'disk.config'
    (cdrom,) = tree.findall("devices/disk[@device='cdrom']")
    assert cdrom.find('source').get('file') == str(drive)

    files, label = read_iso(drive)
    assert label == 'config-2'
    meta = json.loads(files['openstack/latest/meta_data.json'])
    assert (meta['uuid'], meta['name'], meta['admin_pass'], meta['public_keys'], meta['meta']) == (
        server_id, 'configured', 'Guest-Pass-1', {'key-one': RSA}, {'role': 'web'})
    assert files['openstack/latest/user_data'] == b'#cloud-config\n'
    assert files[meta['files'][0]['content_path'].replace('/content/', 'openstack/content/')] == b'hello\n'
    network = json.loads(files['openstack/latest/network_data.json'])
    assert [net['ip_address'] for net in network['networks']] == [address_v4['addr'], address_v6['addr']]

    # A rebuild writes the drive again with its password; unshelve spawns the guest with both again.
    _act(client, services, server_id, {'rebuild': {'imageRef': IMAGE, 'adminPass': 'Rebuilt-Pass-2'}})
    meta = json.loads(read_iso(drive)[0]['openstack/latest/meta_data.json'])
    assert meta['admin_pass'] == 'Rebuilt-Pass-2' and 'files' not in meta
    _act(client, services, server_id, {'shelve': None})
    _act(client, services, server_id, {'unshelve': None})
    tree = _definition(hypervisor, server_id)
    assert [i.find('mac').get('address') for i in tree.findall('devices/interface')] == [
        address_v4['OS-EXT-IPS-MAC:mac_addr']]
    assert tree.find("devices/disk[@device='cdrom']/source").get('file') == str(drive)
    assert 'admin_pass' not in json.loads(read_iso(drive)[0]['openstack/latest/meta_data.json'])

    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    assert not drive.exists()


def test_without_a_config_drive_the_guest_has_its_nic_and_no_cdrom(client, services, hypervisor, tmp_path):
    body = {'server': {'name': 'plain', 'imageRef': IMAGE, 'flavorRef': '1'}}
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    services.tasks.wait()
    server = client.get('/v2.1/servers/%s' % server_id).json['server']
    assert server['config_drive'] == ''
    tree = _definition(hypervisor, server_id)
    assert len(tree.findall('devices/interface')) == 1
    assert tree.find("devices/disk[@device='cdrom']") is None
    assert not (tmp_path / 'instances' / server_id / 'disk.config').exists()


def _restart_with(hypervisor, server_id, change):
    """Stop the domain, apply change(devices element) to its definition, start it again."""
    domain = hypervisor.lookupByUUIDString(server_id)
    domain.destroy()
    tree = ET.fromstring(domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    change(tree.find('devices'))
    hypervisor.defineXML(ET.tostring(tree, encoding='unicode')).create()


def test_console_tokens_lead_to_the_domains_graphics_and_serial_ports(client, admin, services, conf, hypervisor,
                                                                      monkeypatch):
    from compute_api.api import microversion
    from tests.functional.test_remote_consoles import token_of
    monkeypatch.setattr(microversion, 'MAX_VERSION', microversion.APIVersion(2, 31))
    conf.set_override('server_proxyclient_address', '127.0.0.2', group='vnc')
    conf.set_override('enabled', True, group='serial_console')
    body = {'server': {'name': 'on-libvirt', 'imageRef': IMAGE, 'flavorRef': '1'}}
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    services.tasks.wait()
    (graphics,) = ET.fromstring(hypervisor.lookupByUUIDString(server_id).XMLDesc(0)).findall('devices/graphics')
    assert (graphics.get('type'), graphics.get('autoport'), graphics.get('listen')) == ('vnc', 'yes', '127.0.0.1')

    def console(body, status=200):
        return client.post('/v2.1/servers/%s/action' % server_id, body, status=status).json

    def resolved(url):
        return admin.get('/v2.1/os-console-auth-tokens/%s' % token_of(url),
                         headers={'X-OpenStack-Nova-API-Version': '2.31'}).json['console']

    # The test hypervisor gives an autoport no port (-1): nothing listens, and no serial chardev.
    assert console({'os-getVNCConsole': {'type': 'novnc'}}, status=400) == {
        'badRequest': {'code': 400, 'message': 'Unavailable console type vnc.'}}
    assert console({'os-getSerialConsole': {'type': 'serial'}}, status=400) == {
        'badRequest': {'code': 400, 'message': 'Unavailable console type serial.'}}

    def listening(devices):
        devices.find('graphics').attrib.update(port='5977', autoport='no')
        serial = ET.SubElement(devices, 'serial', type='tcp')
        ET.SubElement(serial, 'source', mode='bind', host='127.0.0.3', service='10042')
        ET.SubElement(serial, 'protocol', type='raw')
    _restart_with(hypervisor, server_id, listening)
    vnc = resolved(console({'os-getVNCConsole': {'type': 'novnc'}})['console']['url'])
    assert vnc == {'instance_uuid': server_id, 'host': '127.0.0.2', 'port': 5977, 'internal_access_path': None}
    serial = resolved(console({'os-getSerialConsole': {'type': 'serial'}})['console']['url'])
    assert (serial['host'], serial['port']) == ('127.0.0.3', 10042)
    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
