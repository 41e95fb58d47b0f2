"""The contract every hypervisor driver passes, run against each driver this machine can load.

The fake driver always runs; the libvirt driver runs against libvirt's own test hypervisor
(test:///default) when libvirt-python is installed.
"""
import dataclasses
import uuid

import pytest

from compute_api import conf as conf_mod
from compute_api import exception
from compute_api.virt import driver as driver_mod
from compute_api.virt import power_state


def _driver_params():
    params = [pytest.param(('fake', []), id='fake')]
    try:
        import libvirt  # noqa: F401
    except ImportError:
        params.append(pytest.param(('libvirt', []), id='libvirt', marks=pytest.mark.skip(
            reason='libvirt-python is not installed')))
    else:
        params.append(pytest.param(('libvirt', [('libvirt', 'connection_uri', 'test:///default'),
                                                ('libvirt', 'virt_type', 'test')]), id='libvirt'))
    return params


@pytest.fixture(params=_driver_params())
def driver(request, tmp_path):
    name, overrides = request.param
    conf = conf_mod.make_conf([])
    conf.set_override('state_path', str(tmp_path))
    conf.set_override('compute_driver', name)
    for group, option, value in overrides:
        conf.set_override(option, value, group=group)
    loaded = driver_mod.load_driver(conf)
    yield loaded
    for leftover in loaded.list_instances():
        loaded.destroy({'uuid': leftover, 'instance_name': leftover, 'metadata': {}})


def make_instance(**metadata):
    uid = str(uuid.uuid4())
    return {'uuid': uid, 'instance_name': 'instance-%s' % uid[:8], 'display_name': 'contract',
            'vcpus': 1, 'memory_mb': 64, 'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0,
            'image_ref': '155d900f-4e14-4e4c-a73d-069cbf4541e6', 'metadata': metadata, 'project_id': 'demo',
            'availability_zone': 'nova', 'launch_index': 0}


IMAGE = {'id': '155d900f-4e14-4e4c-a73d-069cbf4541e6', 'name': 'cirros', 'properties': {}}
GUEST = driver_mod.Guest(hostname='contract.novalocal')
# Everything a guest can be given: an interface, a key, user_data, a file, a password, a config drive.
VIF = {'id': '0f1e2d3c-4b5a-5978-8695-a4b3c2d1e0f9', 'address': 'fa:16:3e:12:34:56', 'devname': 'tap0f1e2d3c-4b',
       'type': 'bridge', 'network': {'id': '5d6e7f80-9a0b-5c1d-8e2f-3a4b5c6d7e8f', 'label': 'private', 'subnets': [
           {'version': 4, 'cidr': '10.0.0.0/24', 'gateway': '10.0.0.1', 'ips': ['10.0.0.2']}]}}
FULL_GUEST = driver_mod.Guest(hostname='contract.novalocal', network_info=(VIF,), key_name='key-one',
                              key_data='ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI contract', admin_password='Secret-1',
                              user_data=b'#cloud-config\n', injected_files=(('/etc/motd', b'hi\n'),),
                              config_drive=True)


def test_loaded_through_its_entry_point(driver):
    assert isinstance(driver, driver_mod.ComputeDriver)
    assert driver.nodename


def test_spawn_runs_and_destroy_removes(driver):
    instance = make_instance()
    driver.spawn(instance, IMAGE, GUEST)
    assert instance['uuid'] in driver.list_instances()
    assert driver.get_power_state(instance) == power_state.RUNNING
    driver.destroy(instance)
    assert instance['uuid'] not in driver.list_instances()
    with pytest.raises(driver_mod.DriverInstanceNotFound):
        driver.get_power_state(instance)


def test_spawn_and_rebuild_take_everything_a_guest_is_given(driver):
    instance = make_instance()
    driver.spawn(instance, IMAGE, FULL_GUEST)
    assert driver.get_power_state(instance) == power_state.RUNNING
    driver.rebuild(instance, IMAGE, dataclasses.replace(FULL_GUEST, admin_password='Secret-2', injected_files=()))
    assert driver.get_power_state(instance) == power_state.RUNNING
    driver.destroy(instance)
    assert instance['uuid'] not in driver.list_instances()


def test_a_guests_repr_shows_none_of_its_secrets():
    shown = repr(FULL_GUEST)
    assert 'contract.novalocal' in shown and 'key-one' in shown
    for secret in ('Secret-1', 'cloud-config', 'motd', 'AAAAC3NzaC1lZDI1NTE5'):
        assert secret not in shown


def test_destroying_an_unknown_instance_is_no_error(driver):
    driver.destroy(make_instance())


def test_power_cycle(driver):
    instance = make_instance()
    driver.spawn(instance, IMAGE, GUEST)
    driver.power_off(instance)
    assert driver.get_power_state(instance) == power_state.SHUTDOWN
    driver.power_on(instance)
    assert driver.get_power_state(instance) == power_state.RUNNING
    for reboot_type in ('SOFT', 'HARD'):
        driver.reboot(instance, reboot_type)
        assert driver.get_power_state(instance) == power_state.RUNNING


def test_pause_and_suspend(driver):
    instance = make_instance()
    driver.spawn(instance, IMAGE, GUEST)
    driver.pause(instance)
    assert driver.get_power_state(instance) == power_state.PAUSED
    driver.unpause(instance)
    assert driver.get_power_state(instance) == power_state.RUNNING
    driver.suspend(instance)
    assert driver.get_power_state(instance) in (power_state.SUSPENDED, power_state.SHUTDOWN)
    driver.resume(instance)
    assert driver.get_power_state(instance) == power_state.RUNNING


def test_pausing_a_stopped_instance_fails(driver):
    instance = make_instance()
    driver.spawn(instance, IMAGE, GUEST)
    driver.power_off(instance)
    with pytest.raises(driver_mod.DriverError):
        driver.pause(instance)


def test_snapshot_rebuild_resize_rescue(driver):
    instance = make_instance()
    driver.spawn(instance, IMAGE, GUEST)
    assert driver.snapshot(instance, str(uuid.uuid4())) > 0
    driver.rebuild(instance, IMAGE, GUEST)
    assert driver.get_power_state(instance) == power_state.RUNNING
    driver.resize(instance, dict(instance, vcpus=2, memory_mb=128))
    assert driver.get_power_state(instance) == power_state.RUNNING
    driver.rescue(instance, IMAGE, 'rescue-secret')
    driver.unrescue(instance)
    assert driver.get_power_state(instance) == power_state.RUNNING
    driver.set_admin_password(instance, 'another')
    assert isinstance(driver.get_console_output(instance), str)


def test_diagnostics_of_a_running_instance_are_named_numbers(driver):
    instance = make_instance()
    driver.spawn(instance, IMAGE, GUEST)
    diagnostics = driver.get_diagnostics(instance)
    assert diagnostics['memory'] > 0
    assert all(isinstance(name, str) and isinstance(value, (int, float)) for name, value in diagnostics.items())


def test_a_console_is_a_host_and_port_or_unavailable(driver):
    instance = make_instance()
    driver.spawn(instance, IMAGE, GUEST)
    for protocol in ('vnc', 'spice', 'serial'):
        try:
            console = driver.get_console(instance, protocol)
        except exception.ConsoleTypeUnavailable as exc:
            assert exc.message == 'Unavailable console type %s.' % protocol
        else:
            assert isinstance(console.host, str) and console.host and 0 < console.port < 65536
    with pytest.raises(NotImplementedError):  # VMware's; no driver here has it
        driver.get_console(instance, 'mks')


def test_operations_on_an_unknown_instance_raise_not_found(driver):
    instance = make_instance()
    for operation in (driver.power_off, driver.power_on, driver.pause, driver.get_console_output,
                      driver.get_diagnostics, lambda target: driver.get_console(target, 'vnc')):
        with pytest.raises(driver_mod.DriverInstanceNotFound):
            operation(instance)


# -- the fake driver's own knobs -------------------------------------------------------------------

@pytest.fixture
def fake(tmp_path):
    conf = conf_mod.make_conf([])
    return driver_mod.load_driver(conf, 'fake')


def test_fake_consoles_are_the_configured_addresses(fake):
    fake.conf.set_override('vnc_port', 5901, group='fake')
    instance = make_instance()
    fake.spawn(instance, IMAGE, GUEST)
    assert [fake.get_console(instance, protocol) for protocol in ('vnc', 'spice', 'serial')] == [
        driver_mod.Console('127.0.0.1', 5901), driver_mod.Console('127.0.0.1', 6970),
        driver_mod.Console('127.0.0.1', 6971)]


@pytest.mark.parametrize('operation', ['spawn', 'reboot', 'snapshot', 'destroy'])
def test_fake_fails_what_metadata_asks(fake, operation):
    instance = make_instance(**{'fake:fail': 'pause, %s' % operation})
    if operation != 'spawn':
        fake.spawn(dict(instance, metadata={}), IMAGE, GUEST)
    calls = {'spawn': lambda: fake.spawn(instance, IMAGE, GUEST),
             'reboot': lambda: fake.reboot(instance, 'SOFT'),
             'snapshot': lambda: fake.snapshot(instance, 'x'),
             'destroy': lambda: fake.destroy(instance)}
    with pytest.raises(driver_mod.DriverError, match=operation):
        calls[operation]()


def test_fake_spawn_delay_from_metadata(fake):
    import time
    instance = make_instance(**{'fake:spawn_delay': '0.2'})
    started = time.monotonic()
    fake.spawn(instance, IMAGE, GUEST)
    assert time.monotonic() - started >= 0.2


def test_fake_records_what_each_guest_was_given(fake):
    instance = make_instance()
    fake.spawn(instance, IMAGE, FULL_GUEST)
    guest, drive = fake.given(instance['uuid'])
    assert guest == FULL_GUEST
    assert drive['openstack/latest/user_data'] == b'#cloud-config\n'
    rebuilt = dataclasses.replace(FULL_GUEST, admin_password='Secret-2', config_drive=False)
    fake.rebuild(instance, IMAGE, rebuilt)
    assert fake.given(instance['uuid']) == (rebuilt, None)


def test_fake_rejects_a_non_numeric_spawn_delay(fake):
    with pytest.raises(driver_mod.DriverError):
        fake.spawn(make_instance(**{'fake:spawn_delay': 'soon'}), IMAGE, GUEST)
