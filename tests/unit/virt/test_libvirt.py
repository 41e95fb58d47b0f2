"""The libvirt driver's own behaviour, against libvirt's built-in test hypervisor (test:///default):
the domain XML it writes, how libvirt's states and errors reach compute_api, and its node."""
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
            'image_ref': IMAGE['id'], 'metadata': {}, 'user_data': None, **fields}


def spawned(driver, **fields):
    instance = make_instance(**fields)
    driver.spawn(instance, IMAGE, 'secret')
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
    xml = libvirt_driver.LibvirtDriver(make_conf(tmp_path, virt_type=virt_type)).domain_xml(instance, IMAGE)
    domain = libvirt_conn.defineXMLFlags(xml, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
    domain.undefine()
    with pytest.raises(libvirt.libvirtError, match='schema'):
        libvirt_conn.defineXMLFlags(xml.replace('<vcpu>', '<vcpus>').replace('</vcpu>', '</vcpus>'),
                                    libvirt.VIR_DOMAIN_DEFINE_VALIDATE)


def test_spawn_again_keeps_the_running_domain(driver):
    instance = spawned(driver)
    driver.spawn(instance, IMAGE, 'secret')
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
