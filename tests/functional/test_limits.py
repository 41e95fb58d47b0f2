"""GET /limits: nova's absolute limits (with os-used-limits and os-server-group-quotas) for the
caller's project, its usage counted from live rows, and ?tenant_id= for admins."""
import pytest

from tests.functional.test_servers import boot

DEFAULT_ABSOLUTE = {
    'maxTotalInstances': 10, 'maxTotalCores': 20, 'maxTotalRAMSize': 51200, 'maxTotalKeypairs': 100,
    'maxTotalFloatingIps': 10, 'maxServerMeta': 128, 'maxImageMeta': 128, 'maxPersonality': 5,
    'maxPersonalitySize': 10240, 'maxSecurityGroups': 10, 'maxSecurityGroupRules': 20, 'maxServerGroups': 10,
    'maxServerGroupMembers': 10, 'totalInstancesUsed': 0, 'totalCoresUsed': 0, 'totalRAMUsed': 0,
    'totalFloatingIpsUsed': 0, 'totalSecurityGroupsUsed': 0, 'totalServerGroupsUsed': 0,
}


def absolute(client, query=''):
    return client.get('/v2.1/limits' + query).json['limits']['absolute']


@pytest.mark.parametrize('path', ['/v2.1/limits', '/v2.1/demo/limits', '/v2/demo/limits'])
def test_a_new_project_sees_novas_default_limits_and_no_rate_limits(client, path):
    assert client.get(path).json == {'limits': {'rate': [], 'absolute': DEFAULT_ABSOLUTE}}


def test_used_figures_count_the_projects_live_servers_and_groups(client, services):
    boot(client, flavorRef='2')                       # m1.small: 1 vCPU, 2048 MB
    server = boot(client, flavorRef='3').json['server']  # m1.medium: 2 vCPUs, 4096 MB
    client.post('/v2.1/os-server-groups', {'server_group': {'name': 'g', 'policies': ['affinity']}})
    used = absolute(client)
    assert (used['totalInstancesUsed'], used['totalCoresUsed'], used['totalRAMUsed']) == (2, 3, 6144)
    assert used['totalServerGroupsUsed'] == 1
    client.delete('/v2.1/servers/%s' % server['id'])
    services.tasks.wait()
    used = absolute(client)
    assert (used['totalInstancesUsed'], used['totalCoresUsed'], used['totalRAMUsed']) == (1, 1, 2048)


def test_another_projects_servers_are_not_counted(client, services):
    boot(client.as_user('alice', 'elsewhere'))
    assert absolute(client)['totalInstancesUsed'] == 0
    assert absolute(client.as_user('alice', 'elsewhere'))['totalInstancesUsed'] == 1


def test_quota_changes_show_as_limits(client, admin):
    admin.put('/v2.1/os-quota-class-sets/default', {'quota_class_set': {'cores': 40, 'metadata_items': 64}})
    admin.put('/v2.1/os-quota-sets/demo', {'quota_set': {'instances': 4}})
    limits = absolute(client)
    assert (limits['maxTotalInstances'], limits['maxTotalCores']) == (4, 40)
    assert limits['maxServerMeta'] == limits['maxImageMeta'] == 64
    assert absolute(client.as_user('bob', 'other'))['maxTotalInstances'] == 10


def test_admins_read_another_projects_limits_with_tenant_id(client, admin, services):
    admin.put('/v2.1/os-quota-sets/demo', {'quota_set': {'instances': 7}})
    boot(client)
    theirs = absolute(admin, '?tenant_id=demo')
    assert (theirs['maxTotalInstances'], theirs['totalInstancesUsed']) == (7, 1)
    assert absolute(admin)['maxTotalInstances'] == 10


def test_other_projects_limits_are_admin_only(client):
    resp = client.get('/v2.1/limits?tenant_id=someone', status=403)
    assert resp.json == {'forbidden': {
        'code': 403, 'message': "Policy doesn't allow os_compute_api:limits:other_project to be performed."}}


@pytest.mark.parametrize('method', ['POST', 'PUT', 'DELETE'])
def test_limits_are_read_only(client, method):
    resp = client.testapp.request('/v2.1/limits', method=method, headers=client.headers(), status=405)
    assert resp.headers['Allow'] == 'GET'
