"""Our responses, checked by tempest's own compute service clients and response schemas.

tempest's clients (tempest.lib.services.compute) pick the response schema for the microversion in
use (tempest.lib.api_schema.response.compute.v2_*), validate status, body and headers, and check
that the microversion asked for is echoed. Here they talk to the WSGI app in process instead of
over HTTP, so shape drift fails in the functional suite, without a server or Keystone. Every test
runs at 2.1 and at the server's maximum microversion. A route that disappears fails its test (the
client raises tempest's NotFound): nothing here is skipped.

The `tempest` package comes with the [test] extra.
"""
import os

import pytest
import webob

from compute_api.api import microversion

try:
    from tempest.lib.services.compute import aggregates_client
    from tempest.lib.services.compute import availability_zone_client
    from tempest.lib.services.compute import base_compute_client
    from tempest.lib.services.compute import extensions_client
    from tempest.lib.services.compute import flavors_client
    from tempest.lib.services.compute import hosts_client
    from tempest.lib.services.compute import hypervisor_client
    from tempest.lib.services.compute import images_client
    from tempest.lib.services.compute import instance_usage_audit_log_client
    from tempest.lib.services.compute import keypairs_client
    from tempest.lib.services.compute import limits_client
    from tempest.lib.services.compute import migrations_client
    from tempest.lib.services.compute import quota_classes_client
    from tempest.lib.services.compute import quotas_client
    from tempest.lib.services.compute import security_group_rules_client
    from tempest.lib.services.compute import security_groups_client
    from tempest.lib.services.compute import server_external_events_client
    from tempest.lib.services.compute import server_groups_client
    from tempest.lib.services.compute import servers_client
    from tempest.lib.services.compute import services_client
    from tempest.lib.services.compute import tenant_usages_client
    from tempest.lib.services.compute import versions_client
except ImportError as exc:  # a venv installed before tempest joined the [test] extra
    if os.environ.get('CI') == 'true':
        raise
    pytest.skip('tempest is not installed (pip install -e ".[test]"): %s' % exc,
                allow_module_level=True)

SEEDED_IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
VERSIONS = sorted({'2.1', str(microversion.MAX_VERSION)})


class _Response(dict):
    """What tempest's http.ClosingHttp returns: lower-cased headers, plus .status."""

    def __init__(self, url, resp):
        super().__init__((key.lower(), value) for key, value in resp.headers.items())
        self.status = resp.status_int
        self['status'] = str(resp.status_int)
        self['content-location'] = url
        self.reason = resp.status.split(' ', 1)[1]
        self.version = 11


class _InProcessHttp:
    """Stands in for tempest's urllib3 pool: each request goes straight to the WSGI app."""

    def __init__(self, app):
        self.app = app

    def request(self, url, method, headers=None, body=None, chunked=False, preload_content=True):
        if isinstance(body, str):
            body = body.encode()
        req = webob.Request.blank(url, method=method, headers=headers or {}, body=body or b'')
        resp = req.get_response(self.app)
        return _Response(url, resp), resp.body


class _AuthProvider:
    """A noauth token for every request, and the catalog's compute endpoint (/v2.1/{project})."""

    def __init__(self, user, project):
        self.token = '%s:%s' % (user, project)
        self.endpoint = 'http://localhost/v2.1/%s' % project

    def get_token(self):
        return self.token

    def base_url(self, filters, auth_data=None):
        return self.endpoint

    def auth_request(self, method, url, headers=None, body=None, filters=None):
        headers = dict(headers or {}, **{'X-Auth-Token': self.token})
        return '%s/%s' % (self.endpoint, url), headers, body


class Tempest:
    """tempest's compute clients for one caller; `version` is the microversion they send."""

    CLIENTS = {
        'versions': versions_client.VersionsClient,
        'extensions': extensions_client.ExtensionsClient,
        'flavors': flavors_client.FlavorsClient,
        'keypairs': keypairs_client.KeyPairsClient,
        'images': images_client.ImagesClient,
        'limits': limits_client.LimitsClient,
        'quotas': quotas_client.QuotasClient,
        'zones': availability_zone_client.AvailabilityZoneClient,
        'servers': servers_client.ServersClient,
        'server_groups': server_groups_client.ServerGroupsClient,
        'hypervisors': hypervisor_client.HypervisorClient,
        'services': services_client.ServicesClient,
        'usages': tenant_usages_client.TenantUsagesClient,
        'migrations': migrations_client.MigrationsClient,
        'quota_classes': quota_classes_client.QuotaClassesClient,
        'aggregates': aggregates_client.AggregatesClient,
        'security_groups': security_groups_client.SecurityGroupsClient,
        'security_group_rules': security_group_rules_client.SecurityGroupRulesClient,
        'hosts': hosts_client.HostsClient,
        'usage_audit': instance_usage_audit_log_client.InstanceUsagesAuditLogClient,
        'external_events': server_external_events_client.ServerExternalEventsClient,
    }

    def __init__(self, app, user, project):
        self.project = project
        auth = _AuthProvider(user, project)
        for name, cls in self.CLIENTS.items():
            client = cls(auth, 'compute', 'RegionOne')
            client.http_obj = _InProcessHttp(app)
            setattr(self, name, client)


@pytest.fixture(params=VERSIONS)
def version(request, monkeypatch):
    # tempest keeps the microversion in use in this module global (set per test class there).
    monkeypatch.setattr(base_compute_client, 'COMPUTE_MICROVERSION', request.param)
    return request.param


@pytest.fixture
def wsgi_app(app):
    return app.app  # the bare WSGI app under webtest


@pytest.fixture
def member(wsgi_app, version):
    return Tempest(wsgi_app, 'demo', 'demo')


@pytest.fixture
def admin_tempest(wsgi_app, version):
    return Tempest(wsgi_app, 'admin', 'admin')


# -- versions and extensions -----------------------------------------------------------------
def test_version_documents(member):
    listed = member.versions.list_versions()
    assert [v['id'] for v in listed['versions']] == ['v2.0', 'v2.1']
    for version in listed['versions']:
        self_link = next(link['href'] for link in version['links'] if link['rel'] == 'self')
        shown = member.versions.get_version_by_url(self_link)
        assert shown['version']['id'] == version['id']


def test_extensions(member):
    extensions = member.extensions.list_extensions()['extensions']
    assert extensions
    shown = member.extensions.show_extension(extensions[0]['alias'])['extension']
    assert shown['alias'] == extensions[0]['alias']


# -- flavors ---------------------------------------------------------------------------------
def test_flavor_list_detail_show(member):
    assert {f['id'] for f in member.flavors.list_flavors()['flavors']} >= {'1', '2'}
    detailed = member.flavors.list_flavors(detail=True, limit=2)['flavors']
    assert [f['id'] for f in detailed] == ['1', '2']
    assert member.flavors.show_flavor('1')['flavor']['name'] == 'm1.tiny'


def test_flavor_create_extra_specs_access_delete(admin_tempest):
    flavors = admin_tempest.flavors
    created = flavors.create_flavor(name='schema-flavor', ram=64, vcpus=1, disk=0, id='schema-1',
                                    swap=16, ephemeral=1, rxtx_factor=1.5,
                                    **{'os-flavor-access:is_public': False})['flavor']
    assert (created['id'], created['swap'], created['os-flavor-access:is_public']) == ('schema-1', 16, False)
    assert flavors.set_flavor_extra_spec('schema-1', **{'hw:cpu_policy': 'shared'})['extra_specs'] == {
        'hw:cpu_policy': 'shared'}
    assert flavors.list_flavor_extra_specs('schema-1')['extra_specs'] == {'hw:cpu_policy': 'shared'}
    assert flavors.show_flavor_extra_spec('schema-1', 'hw:cpu_policy') == {'hw:cpu_policy': 'shared'}
    assert flavors.update_flavor_extra_spec('schema-1', 'hw:cpu_policy', **{'hw:cpu_policy': 'dedicated'}) == {
        'hw:cpu_policy': 'dedicated'}
    flavors.unset_flavor_extra_spec('schema-1', 'hw:cpu_policy')
    access = flavors.add_flavor_access('schema-1', 'demo')['flavor_access']
    assert {a['tenant_id'] for a in access} >= {'demo'}
    assert 'demo' in {a['tenant_id'] for a in flavors.list_flavor_access('schema-1')['flavor_access']}
    assert 'demo' not in {a['tenant_id'] for a in flavors.remove_flavor_access('schema-1', 'demo')['flavor_access']}
    flavors.delete_flavor('schema-1')
    assert flavors.is_resource_deleted('schema-1')


# -- key pairs -------------------------------------------------------------------------------
def test_keypair_create_list_show_delete(member):
    created = member.keypairs.create_keypair(name='schema-key')['keypair']
    assert created['private_key'].startswith('-----BEGIN')
    imported = member.keypairs.create_keypair(name='schema-imported',
                                              public_key=created['public_key'])['keypair']
    assert imported['fingerprint'] == created['fingerprint']
    names = {k['keypair']['name'] for k in member.keypairs.list_keypairs()['keypairs']}
    assert names >= {'schema-key', 'schema-imported'}
    assert member.keypairs.show_keypair('schema-key')['keypair']['name'] == 'schema-key'
    member.keypairs.delete_keypair('schema-key')
    member.keypairs.delete_keypair('schema-imported')
    assert member.keypairs.list_keypairs()['keypairs'] == []


# -- images ----------------------------------------------------------------------------------
def test_image_list_detail_show(member):
    assert SEEDED_IMAGE in {i['id'] for i in member.images.list_images()['images']}
    assert SEEDED_IMAGE in {i['id'] for i in member.images.list_images(detail=True)['images']}
    assert member.images.show_image(SEEDED_IMAGE)['image']['status'] == 'ACTIVE'


def test_image_metadata(admin_tempest):
    images = admin_tempest.images
    assert isinstance(images.list_image_metadata(SEEDED_IMAGE)['metadata'], dict)
    assert images.set_image_metadata_item(SEEDED_IMAGE, 'schema', {'schema': 'one'})['meta'] == {'schema': 'one'}
    assert images.show_image_metadata_item(SEEDED_IMAGE, 'schema')['meta'] == {'schema': 'one'}
    assert images.update_image_metadata(SEEDED_IMAGE, {'other': 'two'})['metadata']['other'] == 'two'
    images.delete_image_metadata_item(SEEDED_IMAGE, 'schema')
    assert 'schema' not in images.set_image_metadata(SEEDED_IMAGE, {'only': 'this'})['metadata']


# -- limits, quotas, availability zones --------------------------------------------------------
def test_limits(member):
    absolute = member.limits.show_limits()['limits']['absolute']
    assert absolute['maxTotalInstances'] >= 0


def test_quota_sets(member, admin_tempest):
    quotas = member.quotas.show_quota_set('demo')['quota_set']
    assert quotas['id'] == 'demo'
    assert member.quotas.show_default_quota_set('demo')['quota_set']['id'] == 'demo'
    assert 'in_use' in member.quotas.show_quota_set('demo', detail=True)['quota_set']['instances']
    updated = admin_tempest.quotas.update_quota_set('demo', instances=7)['quota_set']
    assert updated['instances'] == 7
    admin_tempest.quotas.delete_quota_set('demo')


def test_availability_zones(member, admin_tempest):
    assert member.zones.list_availability_zones()['availabilityZoneInfo']
    assert admin_tempest.zones.list_availability_zones(detail=True)['availabilityZoneInfo']


def test_server_groups(member):
    groups = member.server_groups
    created = groups.create_server_group(name='schema-group', policies=['anti-affinity'])['server_group']
    assert groups.show_server_group(created['id'])['server_group']['name'] == 'schema-group'
    assert created['id'] in {g['id'] for g in groups.list_server_groups()['server_groups']}
    groups.delete_server_group(created['id'])
    assert groups.list_server_groups()['server_groups'] == []


def test_hypervisors(admin_tempest):
    hypervisors = admin_tempest.hypervisors
    listed = hypervisors.list_hypervisors()['hypervisors']
    assert listed
    assert hypervisors.list_hypervisors(detail=True)['hypervisors']
    first = listed[0]
    assert str(hypervisors.show_hypervisor(first['id'])['hypervisor']['id']) == str(first['id'])
    assert hypervisors.show_hypervisor_statistics()['hypervisor_statistics']['count'] == len(listed)
    assert hypervisors.show_hypervisor_uptime(first['id'])['hypervisor']['id'] == first['id']
    assert hypervisors.search_hypervisor(first['hypervisor_hostname'])['hypervisors']
    assert hypervisors.list_servers_on_hypervisor(first['hypervisor_hostname'])['hypervisors']


def test_services(admin_tempest):
    services = admin_tempest.services.list_services()['services']
    assert 'nova-compute' in {s['binary'] for s in services}


def test_simple_tenant_usage(member, admin_tempest, services, version):
    boot(member, services, version)  # with nothing used, nova's answer is {} (tempest boots first too)
    period = {'start': '2020-01-01T00:00:00', 'end': '2030-01-01T00:00:00'}
    assert isinstance(admin_tempest.usages.list_tenant_usages(detailed=1, **period)['tenant_usages'], list)
    assert isinstance(member.usages.show_tenant_usage('demo', **period)['tenant_usage'], dict)


# -- servers ---------------------------------------------------------------------------------
def boot(member, services, version):
    """An ACTIVE server of project demo, created through tempest's client."""
    body = {'name': 'schema-server', 'imageRef': SEEDED_IMAGE, 'flavorRef': '1'}
    if version != '2.1':
        body['networks'] = 'none'  # required from 2.37 on
    created = member.servers.create_server(**body)['server']
    services.tasks.wait()
    return created['id']


def test_server_create_show_list_update_delete(member, services, version):
    server_id = boot(member, services, version)
    shown = member.servers.show_server(server_id)['server']
    assert (shown['id'], shown['status']) == (server_id, 'ACTIVE')
    assert server_id in {s['id'] for s in member.servers.list_servers()['servers']}
    assert server_id in {s['id'] for s in member.servers.list_servers(detail=True)['servers']}
    assert member.servers.update_server(server_id, name='renamed')['server']['name'] == 'renamed'
    member.servers.delete_server(server_id)
    services.tasks.wait()
    assert server_id not in {s['id'] for s in member.servers.list_servers()['servers']}


def test_server_addresses(member, services, version):
    server_id = boot(member, services, version)
    addresses = member.servers.list_addresses(server_id)['addresses']
    for label in addresses:
        assert label in member.servers.list_addresses_by_network(server_id, label)


def test_server_metadata(member, services, version):
    servers = member.servers
    server_id = boot(member, services, version)
    assert servers.set_server_metadata(server_id, {'a': '1', 'b': '2'})['metadata'] == {'a': '1', 'b': '2'}
    assert servers.update_server_metadata(server_id, {'c': '3'})['metadata'] == {'a': '1', 'b': '2', 'c': '3'}
    assert servers.list_server_metadata(server_id)['metadata'] == {'a': '1', 'b': '2', 'c': '3'}
    assert servers.set_server_metadata_item(server_id, 'a', {'a': 'x'})['meta'] == {'a': 'x'}
    assert servers.show_server_metadata_item(server_id, 'a')['meta'] == {'a': 'x'}
    servers.delete_server_metadata_item(server_id, 'a')
    assert servers.list_server_metadata(server_id)['metadata'] == {'b': '2', 'c': '3'}


def test_snapshot_image_show_filter_and_delete(member, services, version):
    server_id = boot(member, services, version)
    member.images.create_image(server_id, name='schema-snapshot')
    services.tasks.wait()
    (snapshot,) = member.images.list_images(detail=True, server=server_id)['images']
    shown = member.images.show_image(snapshot['id'])['image']
    assert (shown['name'], shown['status'], shown['server']['id']) == ('schema-snapshot', 'ACTIVE', server_id)
    assert snapshot['id'] in {i['id'] for i in member.images.list_images(type='SERVER', limit=5)['images']}
    member.images.delete_image(snapshot['id'])
    assert member.images.is_resource_deleted(snapshot['id'])


def test_server_actions(member, services, version):
    servers = member.servers
    server_id = boot(member, services, version)
    for call, settled in ((lambda: servers.reboot_server(server_id, type='SOFT'), 'ACTIVE'),
                          (lambda: servers.stop_server(server_id), 'SHUTOFF'),
                          (lambda: servers.start_server(server_id), 'ACTIVE'),
                          (lambda: servers.pause_server(server_id), 'PAUSED'),
                          (lambda: servers.unpause_server(server_id), 'ACTIVE'),
                          (lambda: servers.lock_server(server_id), 'ACTIVE'),
                          (lambda: servers.unlock_server(server_id), 'ACTIVE')):
        call()
        services.tasks.wait()
        assert servers.show_server(server_id)['server']['status'] == settled
    assert isinstance(servers.get_console_output(server_id, length=5)['output'], str)


def test_create_image_from_a_server(member, services, version):
    server_id = boot(member, services, version)
    created = member.images.create_image(server_id, name='schema-snapshot')
    services.tasks.wait()
    image_id = created.response['location'].rsplit('/', 1)[-1]
    assert member.images.show_image(image_id)['image']['name'] == 'schema-snapshot'


def test_instance_actions(member, services, version):
    server_id = boot(member, services, version)
    actions = member.servers.list_instance_actions(server_id)['instanceActions']
    assert [a['action'] for a in actions] == ['create']
    shown = member.servers.show_instance_action(server_id, actions[0]['request_id'])['instanceAction']
    assert shown['action'] == 'create'


def test_server_diagnostics(member, admin_tempest, services, version):
    server_id = boot(member, services, version)
    assert admin_tempest.servers.show_server_diagnostics(server_id)['memory'] > 0


def test_server_external_events(member, admin_tempest, services, version):
    server_id = boot(member, services, version)
    events = [{'name': 'network-changed', 'server_uuid': server_id}]
    (event,) = admin_tempest.external_events.create_server_external_events(events=events)['events']
    assert (event['server_uuid'], event['code']) == (server_id, 200)


def test_instance_usage_audit_log(admin_tempest):
    listed = admin_tempest.usage_audit.list_instance_usage_audit_logs()['instance_usage_audit_logs']
    shown = admin_tempest.usage_audit.show_instance_usage_audit_log('2026-11-23%2012:00:00')
    assert shown['instance_usage_audit_log']['period_ending'] == '2026-11-01 00:00:00'
    assert listed['num_hosts'] == 1


def test_migrations(admin_tempest):
    assert isinstance(admin_tempest.migrations.list_migrations()['migrations'], list)


def test_quota_class_sets(admin_tempest):
    classes = admin_tempest.quota_classes
    assert classes.show_quota_class_set('default')['quota_class_set']['id'] == 'default'
    assert classes.update_quota_class_set('default', instances=11)['quota_class_set']['instances'] == 11


def test_aggregates(admin_tempest):
    aggregates = admin_tempest.aggregates
    created = aggregates.create_aggregate(name='schema-aggregate', availability_zone='schema-zone')['aggregate']
    assert aggregates.show_aggregate(created['id'])['aggregate']['name'] == 'schema-aggregate'
    assert created['id'] in {a['id'] for a in aggregates.list_aggregates()['aggregates']}
    assert aggregates.update_aggregate(created['id'], name='renamed')['aggregate']['name'] == 'renamed'
    assert aggregates.set_metadata(created['id'], metadata={'k': 'v'})['aggregate']['metadata']['k'] == 'v'
    aggregates.delete_aggregate(created['id'])
    assert aggregates.is_resource_deleted(created['id'])


def test_security_groups_and_rules(member, services, version):
    groups, rules = member.security_groups, member.security_group_rules
    created = groups.create_security_group(name='schema-group', description='schema')['security_group']
    assert groups.show_security_group(created['id'])['security_group']['name'] == 'schema-group'
    assert created['id'] in {g['id'] for g in groups.list_security_groups()['security_groups']}
    assert groups.update_security_group(created['id'], name='renamed', description='d')['security_group'][
        'name'] == 'renamed'
    rule = rules.create_security_group_rule(parent_group_id=created['id'], ip_protocol='tcp', from_port=22,
                                            to_port=22)['security_group_rule']
    server_id = boot(member, services, version)
    member.servers.add_security_group(server_id, name='renamed')
    listed = member.servers.list_security_groups_by_server(server_id)['security_groups']
    assert {g['name'] for g in listed} == {'default', 'renamed'}
    member.servers.remove_security_group(server_id, name='renamed')
    rules.delete_security_group_rule(rule['id'])
    groups.delete_security_group(created['id'])
    assert groups.is_resource_deleted(created['id'])


def test_hosts(admin_tempest):
    hosts = admin_tempest.hosts.list_hosts()['hosts']
    name = hosts[0]['host_name']
    assert [r['resource']['project'] for r in admin_tempest.hosts.show_host(name)['host']][:3] == [
        '(total)', '(used_now)', '(used_max)']
    assert admin_tempest.hosts.startup_host(name)['power_action'] == 'startup'


@pytest.mark.parametrize('console_version', ['2.1', '2.5'])  # the action ends where remote-consoles begins
def test_vnc_console(wsgi_app, services, monkeypatch, console_version):
    monkeypatch.setattr(base_compute_client, 'COMPUTE_MICROVERSION', console_version)
    member = Tempest(wsgi_app, 'demo', 'demo')
    server_id = boot(member, services, console_version)
    console = member.servers.get_vnc_console(server_id, type='novnc')['console']
    assert console['url'].startswith('http://127.0.0.1:6080/vnc_auto.html?path=')


@pytest.mark.parametrize('remote_version', ['2.6', '2.8'])
def test_remote_console(wsgi_app, services, monkeypatch, remote_version):
    monkeypatch.setattr(base_compute_client, 'COMPUTE_MICROVERSION', remote_version)
    member = Tempest(wsgi_app, 'demo', 'demo')
    server_id = boot(member, services, remote_version)
    console = member.servers.get_remote_console(server_id, console_type='novnc', protocol='vnc')['remote_console']
    assert (console['protocol'], console['type']) == ('vnc', 'novnc')
