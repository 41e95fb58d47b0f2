"""The libvirt driver's own behaviour, against libvirt's built-in test hypervisor (test:///default):
the domain XML it writes, how libvirt's states and errors reach compute_api, and its node."""
import dataclasses
import io
import json
import os
import shutil
import subprocess
import uuid
import xml.etree.ElementTree as ET

import pytest

libvirt = pytest.importorskip('libvirt', reason='libvirt-python is not installed')

from compute_api import conf as conf_mod  # noqa: E402
from compute_api.virt import driver as driver_mod  # noqa: E402
from compute_api.virt import power_state  # noqa: E402
from compute_api.virt.libvirt import driver as libvirt_driver  # noqa: E402

IMAGE = {'id': '155d900f-4e14-4e4c-a73d-069cbf4541e6', 'name': 'cirros', 'properties': {}}
GUEST = driver_mod.Guest(hostname='vm-one.novalocal')


def _vif(mac, label, cidr, address, gateway):
    vif_id = str(uuid.uuid5(uuid.NAMESPACE_URL, mac))
    return {'id': vif_id, 'address': mac, 'devname': 'tap' + vif_id[:11], 'type': 'bridge',
            'network': {'id': str(uuid.uuid5(uuid.NAMESPACE_URL, label)), 'label': label, 'subnets': [
                {'version': 4, 'cidr': cidr, 'gateway': gateway, 'ips': [address]}]}}


VIFS = (_vif('fa:16:3e:00:00:01', 'private', '10.0.0.0/24', '10.0.0.2', '10.0.0.1'),
        _vif('fa:16:3e:00:00:02', 'public', '172.24.4.0/24', '172.24.4.2', '172.24.4.1'))
RSA = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 guest@example'
FULL_GUEST = driver_mod.Guest(hostname='vm-one.novalocal', network_info=VIFS, key_name='key-one', key_data=RSA,
                              admin_password='Guest-Pass-1', user_data=b'#cloud-config\n',
                              injected_files=(('/etc/motd', b'hello\n'),), config_drive=True)


def make_conf(tmp_path, **libvirt_options):
    conf = conf_mod.make_conf([])
    conf.set_override('state_path', str(tmp_path))
    options = {'connection_uri': 'test:///default', 'virt_type': 'test', **libvirt_options}
    for option, value in options.items():
        conf.set_override(option, value, group='libvirt')
    return conf


@pytest.fixture
def driver(tmp_path):
    loaded = libvirt_driver.LibvirtDriver(make_conf(tmp_path))
    yield loaded
    for leftover in loaded.list_instances():
        loaded.destroy({'uuid': leftover})


@pytest.fixture
def libvirt_conn():
    """A connection of our own: test:///default is one hypervisor per process, shared."""
    conn = libvirt.open('test:///default')
    yield conn
    conn.close()


def make_instance(**fields):
    uid = str(uuid.uuid4())
    return {'uuid': uid, 'instance_name': 'instance-%s' % uid[:8], 'display_name': 'vm one',
            'vcpus': 1, 'memory_mb': 64, 'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0,
            'image_ref': IMAGE['id'], 'metadata': {}, 'project_id': 'demo', 'availability_zone': 'nova',
            'launch_index': 0, **fields}


def spawned(driver, **fields):
    instance = make_instance(**fields)
    driver.spawn(instance, IMAGE, GUEST)
    return instance


def definition(conn, instance):
    return ET.fromstring(conn.lookupByUUIDString(instance['uuid']).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))


def disks(tree):
    return {disk.find('target').get('dev'): disk.find('source').get('file') for disk in tree.findall('devices/disk')}


# -- the domain XML --------------------------------------------------------------------------------

def test_spawn_defines_the_domain_libvirt_runs(driver, libvirt_conn, tmp_path):
    instance = spawned(driver, vcpus=2, memory_mb=96)
    domain = libvirt_conn.lookupByUUIDString(instance['uuid'])
    assert domain.name() == instance['instance_name']
    assert domain.isPersistent() and domain.isActive()
    state, max_memory_kib, _memory, vcpus, _cpu_time = domain.info()
    assert (state, max_memory_kib, vcpus) == (libvirt.VIR_DOMAIN_RUNNING, 96 * 1024, 2)
    tree = definition(libvirt_conn, instance)
    assert tree.get('type') == 'test'
    assert disks(tree) == {'vda': str(tmp_path / 'instances' / instance['uuid'] / 'disk')}
    assert tree.find('devices/serial/source').get('path') == str(
        tmp_path / 'instances' / instance['uuid'] / 'console.log')
    own = ET.fromstring(domain.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, libvirt_driver.METADATA_NS))
    assert own.findtext('name') == 'vm one'
    assert own.find('image').get('uuid') == IMAGE['id']


def test_disks_go_under_images_path(tmp_path, libvirt_conn):
    driver = libvirt_driver.LibvirtDriver(make_conf(tmp_path, images_path=str(tmp_path / 'images')))
    instance = spawned(driver)
    try:
        assert disks(definition(libvirt_conn, instance))['vda'] == str(tmp_path / 'images' / instance['uuid'] / 'disk')
    finally:
        driver.destroy(instance)


def test_real_hypervisor_xml_has_acpi_and_the_guest_agent(tmp_path):
    tree = ET.fromstring(libvirt_driver.LibvirtDriver(make_conf(tmp_path, virt_type='kvm')).domain_xml(
        make_instance(), IMAGE))
    assert tree.get('type') == 'kvm'
    assert tree.find('features/acpi') is not None
    assert tree.find('devices/channel/target').get('name') == 'org.qemu.guest_agent.0'
    assert tree.find('memory').text == '64' and tree.find('memory').get('unit') == 'MiB'


@pytest.mark.parametrize('virt_type', ['kvm', 'qemu'])
def test_real_hypervisor_xml_is_valid_for_libvirts_schema(tmp_path, libvirt_conn, virt_type):
    instance = make_instance()
    xml = libvirt_driver.LibvirtDriver(make_conf(tmp_path, virt_type=virt_type)).domain_xml(instance, IMAGE,
                                                                                            FULL_GUEST)
    assert '<interface type="network">' in xml and '<disk type="file" device="cdrom">' in xml
    domain = libvirt_conn.defineXMLFlags(xml, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
    domain.undefine()
    with pytest.raises(libvirt.libvirtError, match='schema'):
        libvirt_conn.defineXMLFlags(xml.replace('<vcpu>', '<vcpus>').replace('</vcpu>', '</vcpus>'),
                                    libvirt.VIR_DOMAIN_DEFINE_VALIDATE)


# -- what reaches the guest: interfaces and the config drive ---------------------------------------

def interfaces(tree):
    return [(interface.get('type'), interface.find('mac').get('address'), dict(interface.find('source').attrib),
             interface.find('model').get('type'), interface.find('target').get('dev'))
            for interface in tree.findall('devices/interface')]


def read_iso(path):
    """{path: bytes} of an ISO 9660 image's files by their Rock Ridge names, and its volume label."""
    import pycdlib
    iso = pycdlib.PyCdlib()
    iso.open(str(path))
    try:
        files = {}
        for directory, _subdirectories, names in iso.walk(rr_path='/'):
            for name in names:
                full = '%s/%s' % (directory.rstrip('/'), name)
                buffer = io.BytesIO()
                iso.get_file_from_iso_fp(buffer, rr_path=full)
                files[full.lstrip('/')] = buffer.getvalue()
        return files, iso.pvd.volume_identifier.decode().strip()
    finally:
        iso.close()


def test_each_interface_is_a_nic_with_the_allocators_mac_on_the_libvirt_network(driver, libvirt_conn):
    instance = make_instance()
    driver.spawn(instance, IMAGE, dataclasses.replace(FULL_GUEST, config_drive=False))
    tree = definition(libvirt_conn, instance)
    assert interfaces(tree) == [('network', vif['address'], {'network': 'default'}, 'virtio', vif['devname'])
                                for vif in VIFS]
    assert tree.find("devices/disk[@device='cdrom']") is None
    assert driver.get_power_state(instance) == power_state.RUNNING


def test_interfaces_go_on_the_bridge_when_one_is_set(tmp_path, libvirt_conn):
    driver = libvirt_driver.LibvirtDriver(make_conf(tmp_path, bridge='br100'))
    instance = make_instance()
    driver.spawn(instance, IMAGE, dataclasses.replace(FULL_GUEST, network_info=VIFS[:1]))
    try:
        assert interfaces(definition(libvirt_conn, instance)) == [
            ('bridge', VIFS[0]['address'], {'bridge': 'br100'}, 'virtio', VIFS[0]['devname'])]
    finally:
        driver.destroy(instance)


def test_the_config_drive_is_an_iso_9660_cdrom_with_novas_files(driver, libvirt_conn, tmp_path):
    instance = make_instance(metadata={'role': 'web'})
    driver.spawn(instance, IMAGE, FULL_GUEST)
    path = tmp_path / 'instances' / instance['uuid'] / 'disk.config'
    (cdrom,) = definition(libvirt_conn, instance).findall("devices/disk[@device='cdrom']")
    assert cdrom.find('source').get('file') == str(path)
    assert (cdrom.find('target').get('dev'), cdrom.find('target').get('bus')) == ('sda', 'sata')
    assert cdrom.find('readonly') is not None
    assert path.stat().st_mode & 0o777 == 0o600  # it holds the admin password

    files, label = read_iso(path)
    assert label == 'config-2'
    assert sorted(files) == ['openstack/content/0000', 'openstack/latest/meta_data.json',
                             'openstack/latest/network_data.json', 'openstack/latest/user_data',
                             'openstack/latest/vendor_data.json']
    meta = json.loads(files['openstack/latest/meta_data.json'])
    assert {key: meta[key] for key in ('uuid', 'name', 'hostname', 'admin_pass', 'public_keys', 'meta', 'files',
                                       'project_id', 'availability_zone', 'launch_index')} == {
        'uuid': instance['uuid'], 'name': 'vm one', 'hostname': 'vm-one.novalocal', 'admin_pass': 'Guest-Pass-1',
        'public_keys': {'key-one': RSA}, 'meta': {'role': 'web'},
        'files': [{'path': '/etc/motd', 'content_path': '/content/0000'}], 'project_id': 'demo',
        'availability_zone': 'nova', 'launch_index': 0}
    assert meta['keys'] == [{'name': 'key-one', 'type': 'ssh', 'data': RSA}]
    assert files['openstack/latest/user_data'] == b'#cloud-config\n'
    assert files['openstack/content/0000'] == b'hello\n'
    network = json.loads(files['openstack/latest/network_data.json'])
    assert [link['ethernet_mac_address'] for link in network['links']] == [vif['address'] for vif in VIFS]
    assert [(net['ip_address'], net['netmask'], net['routes'][0]['gateway']) for net in network['networks']] == [
        ('10.0.0.2', '255.255.255.0', '10.0.0.1'), ('172.24.4.2', '255.255.255.0', '172.24.4.1')]

    driver.destroy(instance)
    assert not path.exists()


def test_a_rebuild_writes_the_config_drive_again(driver, tmp_path):
    instance = make_instance()
    driver.spawn(instance, IMAGE, FULL_GUEST)
    driver.rebuild(instance, IMAGE, dataclasses.replace(FULL_GUEST, admin_password='Rebuilt-Pass-2',
                                                        injected_files=()))
    files, _label = read_iso(tmp_path / 'instances' / instance['uuid'] / 'disk.config')
    meta = json.loads(files['openstack/latest/meta_data.json'])
    assert meta['admin_pass'] == 'Rebuilt-Pass-2' and 'files' not in meta
    assert 'openstack/content/0000' not in files
    assert driver.get_power_state(instance) == power_state.RUNNING


def test_resize_and_rescue_keep_the_interfaces_and_the_config_drive(driver, libvirt_conn):
    instance = make_instance()
    driver.spawn(instance, IMAGE, FULL_GUEST)
    before = definition(libvirt_conn, instance)
    driver.resize(instance, {'vcpus': 2, 'memory_mb': 128, 'root_gb': 1})
    driver.rescue(instance, IMAGE, 'rescue')
    after = definition(libvirt_conn, instance)
    assert interfaces(after) == interfaces(before)
    assert disks(after)['sda'] == disks(before)['sda']


def test_spawn_again_keeps_the_running_domain(driver):
    instance = spawned(driver)
    driver.spawn(instance, IMAGE, GUEST)
    assert driver.list_instances() == [instance['uuid']]
    assert driver.get_power_state(instance) == power_state.RUNNING


def test_real_hypervisor_disk_is_a_sparse_raw_file_without_qemu_img(tmp_path, monkeypatch):
    monkeypatch.setattr(libvirt_driver.shutil, 'which', lambda name: None)
    driver = libvirt_driver.LibvirtDriver(make_conf(tmp_path, virt_type='qemu'))
    instance = make_instance(root_gb=2)
    path = driver._instance_path(instance, 'disk')
    driver._create_disk(path, IMAGE, instance['root_gb'])
    assert os.path.getsize(path) == 2 * 1024 ** 3
    assert os.stat(path).st_blocks == 0
    assert ET.fromstring(driver.domain_xml(instance)).find('devices/disk/driver').get('type') == 'raw'


def _qemu_img_info(path):
    return json.loads(subprocess.run(['qemu-img', 'info', '--output=json', '-U', path], check=True,
                                     capture_output=True, text=True).stdout)


@pytest.mark.skipif(not shutil.which('qemu-img'), reason='qemu-img is not installed (Debian: qemu-utils)')
def test_real_hypervisor_disks_are_qcow2_overlays_of_local_images(tmp_path):
    # virt_type qemu on the test hypervisor: libvirt takes the domain, the disk files are real
    driver = libvirt_driver.LibvirtDriver(make_conf(tmp_path, virt_type='qemu'))
    base = tmp_path / 'instances' / '_base' / IMAGE['id']
    base.parent.mkdir(parents=True)
    subprocess.run(['qemu-img', 'create', '-f', 'raw', str(base), '16M'], check=True, capture_output=True)
    instance = spawned(driver, root_gb=1)
    disk = tmp_path / 'instances' / instance['uuid'] / 'disk'
    try:
        info = _qemu_img_info(str(disk))
        assert (info['format'], info['virtual-size'], info['backing-filename']) == ('qcow2', 1024 ** 3, str(base))

        snapshot_id = str(uuid.uuid4())
        size = driver.snapshot(instance, snapshot_id)
        snapshot = tmp_path / 'instances' / '_base' / snapshot_id
        assert size == snapshot.stat().st_size
        assert _qemu_img_info(str(snapshot))['format'] == 'qcow2'
        assert driver.get_power_state(instance) == power_state.RUNNING

        driver.resize(instance, {'vcpus': 1, 'memory_mb': 64, 'root_gb': 2})
        assert _qemu_img_info(str(disk))['virtual-size'] == 2 * 1024 ** 3
    finally:
        driver.destroy(instance)
    assert not disk.parent.exists() and snapshot.exists()


def test_destroy_undefines_and_removes_the_instance_files(driver, libvirt_conn, tmp_path):
    instance = spawned(driver)
    instance_dir = tmp_path / 'instances' / instance['uuid']
    instance_dir.mkdir(parents=True)
    (instance_dir / 'console.log').write_text('boot\n')
    driver.destroy(instance)
    with pytest.raises(libvirt.libvirtError):
        libvirt_conn.lookupByUUIDString(instance['uuid'])
    assert not instance_dir.exists()


# -- states ------------------------------------------------------------------------------------------

@pytest.mark.parametrize('libvirt_state, expected', [
    ('VIR_DOMAIN_NOSTATE', power_state.NOSTATE),
    ('VIR_DOMAIN_RUNNING', power_state.RUNNING),
    ('VIR_DOMAIN_BLOCKED', power_state.RUNNING),
    ('VIR_DOMAIN_PAUSED', power_state.PAUSED),
    ('VIR_DOMAIN_SHUTDOWN', power_state.SHUTDOWN),
    ('VIR_DOMAIN_SHUTOFF', power_state.SHUTDOWN),
    ('VIR_DOMAIN_CRASHED', power_state.CRASHED),
    ('VIR_DOMAIN_PMSUSPENDED', power_state.SUSPENDED),
])
def test_libvirt_states_map_to_power_states(libvirt_state, expected):
    assert libvirt_driver.map_power_state(getattr(libvirt, libvirt_state)) == expected


def test_a_managed_save_is_suspended(driver, libvirt_conn):
    instance = spawned(driver)
    driver.suspend(instance)
    domain = libvirt_conn.lookupByUUIDString(instance['uuid'])
    assert domain.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF and domain.hasManagedSaveImage(0)
    assert driver.get_power_state(instance) == power_state.SUSPENDED
    driver.resume(instance)
    assert driver.get_power_state(instance) == power_state.RUNNING
    assert not domain.hasManagedSaveImage(0)


def test_list_instances_is_only_this_services_domains(driver, libvirt_conn):
    instance = spawned(driver)
    assert 'test' in libvirt_conn.listDefinedDomains() + [d.name() for d in libvirt_conn.listAllDomains()]
    assert driver.list_instances() == [instance['uuid']]


def test_resize_redefines_memory_and_vcpus(driver, libvirt_conn):
    instance = spawned(driver)
    driver.resize(instance, {'vcpus': 3, 'memory_mb': 256, 'root_gb': 2})
    _state, max_memory_kib, _memory, vcpus, _cpu_time = libvirt_conn.lookupByUUIDString(instance['uuid']).info()
    assert (max_memory_kib, vcpus) == (256 * 1024, 3)
    assert driver.get_power_state(instance) == power_state.RUNNING


def test_rescue_boots_the_rescue_disk_with_the_own_disk_second(driver, libvirt_conn, tmp_path):
    instance = spawned(driver)
    own_disk = str(tmp_path / 'instances' / instance['uuid'] / 'disk')
    driver.rescue(instance, IMAGE, 'rescue')
    assert disks(definition(libvirt_conn, instance)) == {'vda': own_disk + '.rescue', 'vdb': own_disk}
    assert driver.get_power_state(instance) == power_state.RUNNING
    with pytest.raises(driver_mod.DriverError, match='already in rescue'):
        driver.rescue(instance, IMAGE, 'rescue')
    driver.unrescue(instance)
    assert disks(definition(libvirt_conn, instance)) == {'vda': own_disk}
    with pytest.raises(driver_mod.DriverError, match='not in rescue'):
        driver.unrescue(instance)


def test_set_admin_password_needs_a_running_guest(driver):
    instance = spawned(driver)
    driver.set_admin_password(instance, 'new')
    driver.power_off(instance)
    with pytest.raises(driver_mod.DriverError, match='not running'):
        driver.set_admin_password(instance, 'new')


def test_console_output_is_the_log_tail(driver, tmp_path):
    instance = spawned(driver)
    assert driver.get_console_output(instance) == ''
    log = tmp_path / 'instances' / instance['uuid'] / 'console.log'
    log.parent.mkdir(parents=True)
    log.write_bytes(b'x' * libvirt_driver.MAX_CONSOLE_BYTES + b'login: \xff\n')
    output = driver.get_console_output(instance)
    assert len(output.encode()) >= libvirt_driver.MAX_CONSOLE_BYTES
    assert output.endswith('login: \ufffd\n')


# -- errors ------------------------------------------------------------------------------------------

def test_libvirt_errors_become_driver_errors(driver):
    instance = spawned(driver)
    with pytest.raises(driver_mod.DriverError, match='libvirt: ') as raised:
        driver.unpause(instance)  # it is not paused
    assert not isinstance(raised.value, driver_mod.DriverInstanceNotFound)
    with pytest.raises(driver_mod.DriverError, match='not suspended'):
        driver.resume(instance)


def test_a_missing_domain_is_instance_not_found(driver):
    instance = make_instance()
    for operation in (driver.get_power_state, driver.unpause, driver.suspend, driver.resume,
                      lambda target: driver.reboot(target, 'HARD'), lambda target: driver.snapshot(target, 'x')):
        with pytest.raises(driver_mod.DriverInstanceNotFound, match=instance['uuid']):
            operation(instance)


def test_the_connection_opens_on_first_use_and_reports_failure(tmp_path):
    driver = libvirt_driver.LibvirtDriver(make_conf(tmp_path, connection_uri='test:///no/such/file.xml'))
    with pytest.raises(driver_mod.DriverError, match='libvirt: '):
        driver.list_instances()
    # the node falls back to this host's name (compute.hosts.nodename) rather than failing
    assert driver.nodename is None
    assert driver.hypervisor_type == 'TEST'


def test_a_dropped_connection_is_reopened(driver, libvirt_conn):
    # libvirt_conn keeps the test hypervisor (and so the domain) alive while the driver's closes
    instance = spawned(driver)
    driver._conn.close()
    assert driver.get_power_state(instance) == power_state.RUNNING


# -- the node ----------------------------------------------------------------------------------------

def test_the_node_is_libvirts(driver, libvirt_conn):
    assert driver.nodename == libvirt_conn.getHostname()
    assert (driver.hypervisor_type, driver.hypervisor_version) == (libvirt_conn.getType(), libvirt_conn.getVersion())
    resources = driver.get_host_resources()
    _model, memory_mb, cpus, *_ = libvirt_conn.getInfo()
    assert (resources['vcpus'], resources['memory_mb']) == (cpus, memory_mb)
    assert resources['local_gb'] >= 0


def test_diagnostics_are_novas_libvirt_figures(driver):
    instance = spawned(driver)
    diagnostics = driver.get_diagnostics(instance)
    assert diagnostics['memory'] == 64 * 1024  # libvirt's maxMemory, in KiB
    assert 'cpu0_time' in diagnostics
