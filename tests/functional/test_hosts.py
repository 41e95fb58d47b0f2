"""os-hosts: the legacy Hosts extension (admin): list, a host's resources, its switches and
power actions, as nova's fake driver answers them (the libvirt driver's are nova's 501)."""
import pytest

from compute_api.virt import driver as driver_mod

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


def message(response):
    return next(iter(response.json.values()))['message']


@pytest.fixture
def host(services):
    return services.conf.host


def test_list_names_the_compute_host_and_filters_by_zone(admin, host):
    assert admin.get('/v2.1/os-hosts').json == {'hosts': [
        {'host_name': host, 'service': 'compute', 'zone': 'nova'},
        {'host_name': host, 'service': 'conductor', 'zone': 'internal'},
        {'host_name': host, 'service': 'scheduler', 'zone': 'internal'}]}
    assert admin.get('/v2.1/os-hosts?zone=nova').json['hosts'] == [
        {'host_name': host, 'service': 'compute', 'zone': 'nova'}]
    assert len(admin.get('/v2.1/os-hosts?zone=').json['hosts']) == 3
    assert admin.get('/v2.1/os-hosts?zone=elsewhere').json == {'hosts': []}


def test_show_sums_servers_per_project(admin, client, services, host):
    for user in (client, client, client.as_user('bob', 'other')):
        user.post('/v2.1/servers', {'server': {'name': 's', 'imageRef': IMAGE, 'flavorRef': '1'}}, status=202)
    services.tasks.wait()
    resources = [entry['resource'] for entry in admin.get('/v2.1/os-hosts/%s' % host).json['host']]
    assert [r['project'] for r in resources] == ['(total)', '(used_now)', '(used_max)', 'demo', 'other']
    assert all(set(r) == {'host', 'project', 'cpu', 'memory_mb', 'disk_gb'} and r['host'] == host for r in resources)
    flavor = admin.get('/v2.1/flavors/1').json['flavor']
    demo = resources[3]
    assert (demo['cpu'], demo['memory_mb'], demo['disk_gb']) == (2 * flavor['vcpus'], 2 * flavor['ram'],
                                                                  2 * flavor['disk'])
    assert resources[2]['cpu'] == 3 * flavor['vcpus']
    assert resources[1]['cpu'] == 3 * flavor['vcpus']


def test_unknown_host_is_not_found(admin):
    assert message(admin.get('/v2.1/os-hosts/nowhere', status=404)) == 'Compute host nowhere could not be found.'
    admin.put('/v2.1/os-hosts/nowhere', {'status': 'enable'}, status=404)
    admin.get('/v2.1/os-hosts/nowhere/reboot', status=404)


def test_update_switches_answer_as_the_driver_does(admin, host):
    path = '/v2.1/os-hosts/%s' % host
    assert admin.put(path, {'status': 'Disable'}).json == {'host': host, 'status': 'disabled'}
    assert admin.put(path, {'status': 'enable', 'maintenance_mode': 'ENABLE'}).json == {
        'host': host, 'status': 'enabled', 'maintenance_mode': 'on_maintenance'}
    admin.put(path, {}, status=400)
    admin.put(path, {'status': 'sideways'}, status=400)


@pytest.mark.parametrize('action', ['startup', 'shutdown', 'reboot'])
def test_power_actions(admin, host, action):
    assert admin.get('/v2.1/os-hosts/%s/%s' % (host, action)).json == {'host': host, 'power_action': action}


def test_a_driver_without_host_actions_is_not_implemented(admin, services, host, monkeypatch):
    for name in ('host_power_action', 'host_maintenance_mode', 'set_host_enabled'):
        monkeypatch.setattr(services.driver, name, getattr(driver_mod.ComputeDriver, name).__get__(services.driver))
    assert message(admin.get('/v2.1/os-hosts/%s/reboot' % host, status=501)) == \
        'The requested functionality is not supported.'
    admin.put('/v2.1/os-hosts/%s' % host, {'maintenance_mode': 'enable'}, status=501)


def test_only_admins(client, host):
    client.get('/v2.1/os-hosts', status=403)
    client.get('/v2.1/os-hosts/%s' % host, status=403)
