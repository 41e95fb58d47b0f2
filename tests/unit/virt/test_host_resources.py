"""What drivers tell os-hypervisors about their node: the base class describes this machine."""
import json

from compute_api import conf as conf_mod
from compute_api.virt import driver as driver_mod
from compute_api.virt import fake


class _MachineDriver(fake.FakeDriver):
    """The fake driver with the base class's description of the node."""
    get_host_resources = driver_mod.ComputeDriver.get_host_resources
    get_host_uptime = driver_mod.ComputeDriver.get_host_uptime


def test_the_default_describes_this_machine(tmp_path):
    conf = conf_mod.make_conf([])
    conf.set_override('state_path', str(tmp_path / 'state'))
    resources = _MachineDriver(conf).get_host_resources()
    assert set(resources) == {'vcpus', 'memory_mb', 'local_gb', 'cpu_info'}
    assert resources['vcpus'] >= 1 and resources['memory_mb'] > 0 and resources['local_gb'] >= 0
    assert 'arch' in json.loads(resources['cpu_info'])
    assert ' up ' in _MachineDriver(conf).get_host_uptime()


def test_the_fake_node_is_fixed():
    driver = fake.FakeDriver(conf_mod.make_conf([]))
    assert (driver.hypervisor_type, driver.hypervisor_version) == ('fake', 1000)
    assert driver.get_host_resources()['vcpus'] == 1000
