"""Every route of api/router.ROUTES, walked through the real WSGI app at each microversion where its
response changes (taken from the description, inside the server's own range), and each response
body checked against the OpenAPI description's schema for that version (tests/functional/openapi.py),
besides tempest's own schemas (test_tempest_schemas.py).

The fixtures are built once for the module: ACTIVE servers with metadata, a key pair, a server
group and a security group, a resize (a migration), an aggregate with the host, a private flavor
with extra specs and access, quota sets, instance actions. Each walk makes what it changes or
deletes itself. A served route without a walk fails test_every_served_route_is_walked.
"""
import functools
import types
import urllib.parse

import jsonschema
import pytest
import webtest

from compute_api import conf as conf_mod
from compute_api import runtime
from compute_api.api import deploy
from compute_api.api import microversion
from compute_api.api import router
from tests.conftest import Client
from tests.conftest import reset_database
from tests.functional import openapi

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
SERVED = [(method, path) for path, methods in router.ROUTES for method in methods]
# Served routes the description has no operation for, each with why: {(method, path): reason}.
# None today; such a route is neither walked nor checked here.
NOT_DESCRIBED = {}
CHECKED = [route for route in SERVED if route not in NOT_DESCRIBED]
PERIOD = '?start=2020-01-01T00:00:00&end=2099-01-01T00:00:00'

# Where compute_api answers as nova does and the description's status is not nova's:
# (method, path, action, our status) -> the description's status, whose schema the body must match.
SPEC_STATUS = {
    # The generator gives a POST without nova's @wsgi.response decorator 201; nova answers 200.
    ('POST', '/flavors', None, 200): 201,
    ('POST', '/flavors/{flavor_id}/os-extra_specs', None, 200): 201,
    ('POST', '/images/{image_id}/metadata', None, 200): 201,
    ('POST', '/os-aggregates', None, 200): 201,
    ('POST', '/os-keypairs', None, 200): 201,  # 201 from 2.2 (the keypair type's version) on
    ('POST', '/os-security-groups', None, 200): 201,
    ('POST', '/os-security-group-rules', None, 200): 201,
    ('POST', '/os-server-groups', None, 200): 201,
    ('POST', '/servers/{server_id}/metadata', None, 200): 201,
    # nova's aggregate and extra spec deletes have no decorator either: 200 and no body; the
    # description says 204.
    ('DELETE', '/os-aggregates/{aggregate_id}', None, 200): 204,
    ('DELETE', '/flavors/{flavor_id}/os-extra_specs/{key}', None, 200): 204,
    # Action bodies all sit under 201 in the description; nova answers these with 200.
    ('POST', '/flavors/{flavor_id}/action', 'addTenantAccess', 200): 201,
    ('POST', '/flavors/{flavor_id}/action', 'removeTenantAccess', 200): 201,
    ('POST', '/os-aggregates/{aggregate_id}/action', 'add_host', 200): 201,
    ('POST', '/os-aggregates/{aggregate_id}/action', 'remove_host', 200): 201,
    ('POST', '/os-aggregates/{aggregate_id}/action', 'set_metadata', 200): 201,
    ('POST', '/servers/{server_id}/action', 'os-getConsoleOutput', 200): 201,
    ('POST', '/servers/{server_id}/action', 'rescue', 200): 201,
    ('POST', '/servers/{server_id}/action', 'os-getVNCConsole', 200): 201,
    ('POST', '/servers/{server_id}/remote-consoles', None, 200): 201,
}

# Responses with a body the description has no schema for: (method, path, action).
SPEC_WITHOUT_BODY = {
    # nova answers a rebuild with 202 and the server (api-ref "Rebuild Server"); the generated
    # description has no rebuild branch. tempest's rebuild schema checks that body.
    ('POST', '/servers/{server_id}/action', 'rebuild'),
}

# Where the description's schema is only {"type": "object"} at every walked version, so the walk
# checks no more than that (tempest's schemas in test_tempest_schemas.py check these bodies):
# (method, path, action). test_response_matches_the_description fails for an entry the
# description has come to describe, and for a vacuous schema not listed here.
SPEC_VACUOUS = {
    *[('GET', path, None) for path in (
        '/images', '/images/detail', '/images/{image_id}', '/images/{image_id}/metadata',
        '/images/{image_id}/metadata/{key}', '/os-hypervisors/statistics', '/os-hypervisors/{hypervisor_id}/uptime',
        '/os-hypervisors/{hostname_pattern}/search', '/os-hypervisors/{hostname_pattern}/servers', '/os-hosts',
        '/os-hosts/{host_name}', '/os-hosts/{host_name}/startup', '/os-hosts/{host_name}/shutdown',
        '/os-hosts/{host_name}/reboot', '/os-security-groups', '/os-security-groups/{security_group_id}',
        '/os-floating-ip-pools')],
    *[(method, path, None) for method, path in (
        ('POST', '/images/{image_id}/metadata'), ('PUT', '/images/{image_id}/metadata'),
        ('PUT', '/images/{image_id}/metadata/{key}'), ('PUT', '/os-quota-class-sets/{class_name}'),
        ('PUT', '/os-hosts/{host_name}'), ('POST', '/os-security-groups'),
        ('PUT', '/os-security-groups/{security_group_id}'), ('POST', '/os-security-group-rules'),
        ('PUT', '/servers/{server_id}/metadata/{key}'))],
    # Free-form before 2.48 (ERRATA); the description's 2.48 document is not vacuous.
    ('GET', '/servers/{server_id}/diagnostics', None),
}


def _nullable_property(name, keys):
    """The component's schema at `keys`, null allowed too (when the description has it)."""
    def nullable(schemas):
        node = schemas[name]
        for key in keys:
            node = node[key]
        return {'anyOf': [node, {'type': 'null'}], **({'x-openstack': node['x-openstack']} if 'x-openstack' in node
                                                      else {})}
    return nullable


def _until(version, schema):
    return dict(schema, **{'x-openstack': {'max-ver': version}})


def _from(version, schema):
    return dict(schema, **{'x-openstack': {'min-ver': version}})


def _by_version(until, before, since):
    """`before` up to and including version `until`, `since` after it."""
    low = microversion.APIVersion.parse(until)
    return {'x-openstack': {'discriminator': 'microversion'},
            'oneOf': [_until(until, before), _from('%d.%d' % (low[0], low[1] + 1), since)]}


def _wrapped(key, name):
    """The component's schema as the value of `key` (the description leaves out the wrapper)."""
    return lambda schemas: {'type': 'object', 'properties': {key: schemas[name]}}


_FLAVOR_VIEW = (
    ('OS-FLV-DISABLED:disabled', {'type': 'boolean'}),
    ('description', _from('2.55', {'type': ['string', 'null']})),
    ('extra_specs', _from('2.61', {'type': 'object'})),
    # "" for no swap before 2.75, as nova's view
    ('swap', _by_version('2.74', {'anyOf': [{'type': 'integer'}, {'const': ''}]}, {'type': 'integer'})),
)
# Null in nova's server view: before the build or the scheduler set them, for a server without
# a key pair, a running server's termination, user_data not given.
_SERVER_NULLABLE = ('OS-SRV-USG:terminated_at', 'OS-SRV-USG:launched_at', 'OS-EXT-STS:task_state', 'key_name',
                    'OS-EXT-SRV-ATTR:host', 'OS-EXT-SRV-ATTR:hypervisor_hostname', 'OS-EXT-SRV-ATTR:kernel_id',
                    'OS-EXT-SRV-ATTR:ramdisk_id', 'OS-EXT-SRV-ATTR:root_device_name', 'OS-EXT-SRV-ATTR:user_data')
_ACCESS_IPS = (('accessIPv4', {'anyOf': [{'type': 'string', 'format': 'ipv4'}, {'const': ''}]}),
               ('accessIPv6', {'anyOf': [{'type': 'string', 'format': 'ipv6'}, {'const': ''}]}))


# Where the description is not nova: (component, path in it, what nova answers, a label).
# Applied to the description before the walk; each one was a mismatch with a nova-conformant
# answer.
ERRATA = [
    # nova's flavor view has OS-FLV-DISABLED:disabled at every version and swap "" for none
    # before 2.75; the description's flavor (copied from the create request) misses the first,
    # wants digits for swap, and tags 2.55's description and 2.61's extra_specs only in prose.
    *[(name, keys + ('properties', key), value, 'flavor view') for key, value in _FLAVOR_VIEW
      for name, keys in (('FlavorShowResponse', ('properties', 'flavor')),
                         ('FlavorsCreateResponse', ('properties', 'flavor')),
                         ('FlavorsDetailResponse', ('properties', 'flavors', 'items')))],
    # A hypervisor's id is nova's integer database id before 2.53, its UUID from 2.53 on; its
    # cpu_info a JSON string before 2.28, an object from 2.28. The description has the later ones.
    *[(name, keys + ('properties', key), value, 'hypervisor')
      for name, keys in (('Os_HypervisorsListResponse', ('properties', 'hypervisors', 'items')),
                         ('Os_HypervisorsDetailResponse', ('properties', 'hypervisors', 'items')),
                         ('Os_HypervisorShowResponse', ('properties', 'hypervisor')))
      for key, value in (('id', _by_version('2.52', {'type': 'integer'}, {'type': 'string'})),
                         ('cpu_info', _by_version('2.27', {'type': 'string'}, {'type': 'object'})))
      if key == 'id' or name != 'Os_HypervisorsListResponse'],
    # nova: disabled_reason is null for an enabled service.
    ('Os_ServicesListResponse', ('properties', 'services', 'items', 'properties', 'disabled_reason'),
     {'type': ['string', 'null']}, 'service'),
    # nova: a server usage's ended_at is null while the server exists.
    ('Os_Simple_Tenant_UsageListResponse', ('properties', 'tenant_usages', 'items', 'properties', 'server_usages',
                                            'items', 'properties', 'ended_at'), {'type': ['string', 'null']}, 'usage'),
    # nova shows one project's usage as "tenant_usage", an object (the list's item); the
    # description's show is the list document.
    ('Os_Simple_Tenant_UsageShowResponse', ('properties',), lambda schemas: {
        'tenant_usage': schemas['Os_Simple_Tenant_UsageListResponse']['properties']['tenant_usages']['items'],
        'tenant_usage_links': schemas['Os_Simple_Tenant_UsageListResponse']['properties']['tenant_usages_links']},
     'usage'),
    # The description leaves out the top-level key of these documents.
    ('LimitsListResponse', (), lambda schemas: {'type': 'object', 'properties': {'limits': {
        'type': 'object', 'properties': dict(schemas['LimitsListResponse']['properties'], rate={'type': 'array'}),
        'additionalProperties': False}}}, 'limits'),
    ('Os_Instance_Usage_Audit_LogListResponse', (),
     _wrapped('instance_usage_audit_logs', 'Os_Instance_Usage_Audit_LogListResponse'), 'audit log'),
    ('Os_Instance_Usage_Audit_LogShowResponse', (),
     _wrapped('instance_usage_audit_log', 'Os_Instance_Usage_Audit_LogShowResponse'), 'audit log'),
    # Before 2.48 diagnostics are the driver's free-form dict (nova's and ours); the description
    # has 2.48's document only.
    ('ServersDiagnosticsListResponse', (), lambda schemas: _by_version(
        '2.47', {'type': 'object'}, schemas['ServersDiagnosticsListResponse']), 'diagnostics'),
    # nova answers "" for an unset access address.
    *[(name, keys + ('properties', key), value, 'server view') for key, value in _ACCESS_IPS
      for name, keys in (('ServerShowResponse', ('properties', 'server')),
                         ('ServerUpdateResponse', ('properties', 'server')),
                         ('ServersDetailResponse', ('properties', 'servers', 'items')))],
    *[(name, keys + ('properties', key), _nullable_property(name, keys + ('properties', key)), 'server view')
      for key in _SERVER_NULLABLE
      for name, keys in (('ServerShowResponse', ('properties', 'server')),
                         ('ServerUpdateResponse', ('properties', 'server')),
                         ('ServersDetailResponse', ('properties', 'servers', 'items')))],
    # A server's description is 2.19's; the description says so only in prose.
    *[(name, keys + ('properties', 'description'), _from('2.19', {'type': ['string', 'null']}), 'server view')
      for name, keys in (('ServerShowResponse', ('properties', 'server')),
                         ('ServerUpdateResponse', ('properties', 'server')),
                         ('ServersDetailResponse', ('properties', 'servers', 'items')))],
    # Fields nova sends that the description does not name.
    *[(name, keys + ('properties', 'name'), {'type': 'string'}, 'aggregate')
      for name, keys in (('Os_AggregatesListResponse', ('properties', 'aggregates', 'items')),
                         *[(name, ('properties', 'aggregate')) for name in (
                             'Os_AggregatesCreateResponse', 'Os_AggregateShowResponse', 'Os_AggregateUpdateResponse',
                             'Os_AggregatesActionAdd_HostResponse', 'Os_AggregatesActionRemove_HostResponse',
                             'Os_AggregatesActionSet_MetadataResponse')])],
    ('ServersListResponse', ('properties', 'servers', 'items', 'properties', 'links'),
     lambda schemas: schemas['ServerShowResponse']['properties']['server']['properties']['links'], 'server list'),
    *[(name, keys + ('properties', 'instance_uuid'), {'type': 'string'}, 'instance action')
      for name, keys in (('ServersOs_Instance_ActionsListResponse', ('properties', 'instanceActions', 'items')),
                         ('ServersOs_Instance_ActionShowResponse', ('properties', 'instanceAction')))],
    ('Os_Server_External_EventsCreateResponse', ('properties', 'events', 'items', 'properties', 'code'),
     {'type': 'integer'}, 'external event'),
    *[('Os_Quota_SetsDetailResponse', ('properties', 'quota_set', 'properties', key), lambda schemas: schemas[
        'Os_Quota_SetsDetailResponse']['properties']['quota_set']['properties']['instances'], 'quota detail')
      for key in ('injected_file_content_bytes', 'injected_file_path_bytes')],
    *[(name, keys + ('properties', 'addresses', 'additionalProperties', 'items', 'properties', key),
       {'type': 'string'}, 'server addresses')
      for name, keys in (('ServerShowResponse', ('properties', 'server')),
                         ('ServerUpdateResponse', ('properties', 'server')),
                         ('ServersDetailResponse', ('properties', 'servers', 'items')))
      for key in ('OS-EXT-IPS:type', 'OS-EXT-IPS-MAC:mac_addr')],
    # The create response's two branches (the server, or a reservation id for
    # return_reservation_id) both match anything: neither requires its key.
    ('ServersCreateResponse', ('oneOf', 0, 'required'), ['server'], 'create'),
    ('ServersCreateResponse', ('oneOf', 1, 'required'), ['reservation_id'], 'create'),
]

# Where compute_api deliberately is not nova (README.rst "Deviations from nova"), as errata.
DEVIATIONS = [
    # Security groups are nova-network's: integer group and rule ids (nova with Neutron: UUIDs).
    *[('ServersOs_Security_GroupsListResponse', ('properties', 'security_groups', 'items', 'properties') + keys,
       {'type': 'integer'}, 'security groups')
      for keys in (('id',), ('rules', 'items', 'properties', 'id'),
                   ('rules', 'items', 'properties', 'parent_group_id'))],
]


@functools.lru_cache(maxsize=1)
def description():
    described = openapi.Description.load()
    for name, keys, value, what in ERRATA + DEVIATIONS:
        try:
            described.amend(name, keys, value)
        except (KeyError, IndexError, TypeError):
            raise AssertionError('the %s erratum of %s %s no longer applies' % (what, name, keys)) from None
    return described


WALKS = {}  # (method, route path) -> [(action or None, walk)]


def walk(method, path, action=None):
    """Registers walk(world, version) -> webtest response for one route (and action)."""
    def register(function):
        WALKS.setdefault((method, path), []).append((action, function))
        return function
    return register


@pytest.fixture(scope='module')
def world(migrated_store, database_url, tmp_path_factory):
    """The app on the session's database, and what the walks read; built once for the module."""
    store, seeded = migrated_store
    reset_database(store, seeded)
    conf = conf_mod.make_conf([])
    conf.set_override('state_path', str(tmp_path_factory.mktemp('openapi')))
    conf.set_override('connection', database_url, group='database')
    conf.set_override('auto_sync', False, group='database')
    services = runtime.build(conf, store=store)
    app = webtest.TestApp(deploy.load_app(services))
    w = types.SimpleNamespace(services=services, host=conf.host, serial=iter(range(10 ** 6)))
    w.member = lambda version=None: Client(app, version=version and str(version))
    w.admin = lambda version=None: Client(app, 'admin', 'admin', version=version and str(version))
    w.boot = lambda **fields: _boot(services, w.member(), **fields)
    w.name = lambda prefix: '%s-%d' % (prefix, next(w.serial))
    member, admin = w.member(), w.admin()

    member.post('/v2.1/os-keypairs', {'keypair': {'name': 'walk-key'}})
    w.group_id = member.post('/v2.1/os-server-groups', {'server_group': {
        'name': 'walk-group', 'policies': ['affinity']}}).json['server_group']['id']
    w.security_group_id = member.post('/v2.1/os-security-groups', {'security_group': {
        'name': 'walk-sg', 'description': 'walked'}}).json['security_group']['id']
    member.post('/v2.1/os-security-group-rules', {'security_group_rule': {
        'parent_group_id': w.security_group_id, 'ip_protocol': 'tcp', 'from_port': 22, 'to_port': 22,
        'cidr': '10.0.0.0/8'}})
    w.server_id = w.boot(metadata={'role': 'walked', 'tier': 'one'}, key_name='walk-key',
                         security_groups=[{'name': 'default'}, {'name': 'walk-sg'}], hints={'group': w.group_id})
    member.post('/v2.1/servers/%s/action' % w.server_id, {'resize': {'flavorRef': '2'}}, status=202)
    services.tasks.wait()
    member.post('/v2.1/servers/%s/action' % w.server_id, {'confirmResize': None}, status=204)
    w.request_id = member.get('/v2.1/servers/%s/os-instance-actions' % w.server_id).json[
        'instanceActions'][0]['request_id']
    w.network_label = next(iter(member.get('/v2.1/servers/%s/ips' % w.server_id).json['addresses']))
    w.aggregate_id = admin.post('/v2.1/os-aggregates', {'aggregate': {
        'name': 'walk-aggregate', 'availability_zone': 'walk-zone'}}).json['aggregate']['id']
    admin.post('/v2.1/os-aggregates/%s/action' % w.aggregate_id, {'add_host': {'host': w.host}})
    admin.post('/v2.1/os-aggregates/%s/action' % w.aggregate_id, {'set_metadata': {'metadata': {'k': 'v'}}})
    admin.post('/v2.1/flavors', {'flavor': {'name': 'walk-flavor', 'id': 'walk-flavor', 'ram': 64, 'vcpus': 1,
                                            'disk': 1, 'os-flavor-access:is_public': False}})
    admin.post('/v2.1/flavors/walk-flavor/os-extra_specs', {'extra_specs': {'hw:cpu_policy': 'shared'}})
    admin.post('/v2.1/flavors/walk-flavor/action', {'addTenantAccess': {'tenant': 'demo'}})
    admin.put('/v2.1/os-quota-sets/demo', {'quota_set': {'instances': 20}})
    hypervisor = admin.get('/v2.1/os-hypervisors').json['hypervisors'][0]
    w.hypervisor_id, w.hypervisor_name = hypervisor['id'], hypervisor['hypervisor_hostname']
    yield w
    services.stop()


def _boot(services, client, hints=None, **fields):
    body = {'server': dict({'name': 'walked', 'imageRef': IMAGE, 'flavorRef': '1'}, **fields)}
    if hints:
        body['os:scheduler_hints'] = hints
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    services.tasks.wait()
    return server_id


def _described_statuses(description, method, path, action):
    """The 2xx statuses the description gives a body (for an action: its own branch)."""
    if action is not None:
        return description.action_statuses(path, action)
    return [status for status, schema in description.operations[openapi.template(path), method].items()
            if status.startswith('2') and schema is not None]


@pytest.mark.parametrize('method,path', CHECKED, ids=['%s %s' % route for route in CHECKED])
def test_response_matches_the_description(world, method, path):
    described = description()
    for action, function in WALKS[method, path]:
        versions = {microversion.MIN_VERSION, microversion.MAX_VERSION}
        for status in _described_statuses(described, method, path, action):
            versions.update(described.versions(path, method, status, action))
        constrained = walked = False
        for version in sorted(versions):
            where = '%s %s %s at %s' % (method, path, action or '', version)
            resp = function(world, version)
            if resp is None:  # the route begins at a later microversion
                continue
            walked = True
            if (method, path, action) in SPEC_WITHOUT_BODY:
                assert resp.body, where
                continue
            status = SPEC_STATUS.get((method, path, action, resp.status_int), resp.status_int)
            constrained = constrained or openapi.constrains(described.schema(path, method, status, version, action))
            try:
                described.validate(path, method, status, version, resp.json if resp.body else None, action)
            except jsonschema.ValidationError as exc:
                raise AssertionError('%s: %s at %s' % (where, exc.message, exc.json_path)) from None
            except (AssertionError, LookupError) as exc:
                raise AssertionError('%s: %s' % (where, exc)) from None
        if (method, path, action) not in SPEC_WITHOUT_BODY and walked:
            assert constrained != ((method, path, action) in SPEC_VACUOUS), (
                '%s %s %s: the description says %s more than "an object": %s SPEC_VACUOUS' % (
                    method, path, action or '', 'something' if constrained else 'nothing',
                    'take it out of' if constrained else 'list it in'))


def test_every_served_route_is_walked():
    assert sorted(set(CHECKED) - set(WALKS)) == []
    assert sorted(set(WALKS) - set(CHECKED)) == []


def test_every_served_route_is_described():
    assert [route for route in CHECKED if not description().describes(route[1], route[0])] == []
    assert [route for route in NOT_DESCRIBED if description().describes(route[1], route[0])] == []


def test_a_field_below_its_version_or_unknown_does_not_match():
    """The projection onto a version forbids what comes later (a keypair's type is 2.2's), and
    objects are closed to keys the description does not name."""
    described, at_22 = description(), microversion.APIVersion(2, 2)
    body = {'keypair': {'name': 'k', 'public_key': 'ssh-rsa AAAA', 'fingerprint': 'f', 'type': 'ssh'}}
    described.validate('/os-keypairs/{keypair_name}', 'GET', 200, at_22, body)
    with pytest.raises(jsonschema.ValidationError):
        described.validate('/os-keypairs/{keypair_name}', 'GET', 200, microversion.APIVersion(2, 1), body)
    with pytest.raises(jsonschema.ValidationError):
        described.validate('/os-keypairs/{keypair_name}', 'GET', 200, at_22,
                           {'keypair': dict(body['keypair'], colour='blue')})


# -- extensions --------------------------------------------------------------------------------
@walk('GET', '/extensions')
def _(w, v):
    return w.member(v).get('/v2.1/extensions')


@walk('GET', '/extensions/{alias}')
def _(w, v):
    return w.member(v).get('/v2.1/extensions/os-keypairs')


# -- flavors -----------------------------------------------------------------------------------
@walk('GET', '/flavors')
def _(w, v):
    return w.member(v).get('/v2.1/flavors')


@walk('GET', '/flavors/detail')
def _(w, v):
    return w.member(v).get('/v2.1/flavors/detail')


@walk('GET', '/flavors/{flavor_id}')
def _(w, v):
    return w.member(v).get('/v2.1/flavors/walk-flavor')


def _flavor(w, v, public=True):
    name = w.name('flavor')
    return w.admin(v).post('/v2.1/flavors', {'flavor': {
        'name': name, 'id': name, 'ram': 64, 'vcpus': 1, 'disk': 1, 'swap': 16, 'OS-FLV-EXT-DATA:ephemeral': 1,
        'rxtx_factor': 1.5, 'os-flavor-access:is_public': public}})


@walk('POST', '/flavors')
def _(w, v):
    return _flavor(w, v, public=False)


@walk('DELETE', '/flavors/{flavor_id}')
def _(w, v):
    flavor_id = _flavor(w, None).json['flavor']['id']
    return w.admin(v).delete('/v2.1/flavors/%s' % flavor_id, status=202)


@walk('POST', '/flavors/{flavor_id}/action', 'addTenantAccess')
def _(w, v):
    return w.admin(v).post('/v2.1/flavors/walk-flavor/action', {'addTenantAccess': {'tenant': w.name('project')}})


@walk('POST', '/flavors/{flavor_id}/action', 'removeTenantAccess')
def _(w, v):
    project = w.name('project')
    w.admin().post('/v2.1/flavors/walk-flavor/action', {'addTenantAccess': {'tenant': project}})
    return w.admin(v).post('/v2.1/flavors/walk-flavor/action', {'removeTenantAccess': {'tenant': project}})


@walk('GET', '/flavors/{flavor_id}/os-flavor-access')
def _(w, v):
    return w.admin(v).get('/v2.1/flavors/walk-flavor/os-flavor-access')


@walk('GET', '/flavors/{flavor_id}/os-extra_specs')
def _(w, v):
    return w.member(v).get('/v2.1/flavors/walk-flavor/os-extra_specs')


@walk('POST', '/flavors/{flavor_id}/os-extra_specs')
def _(w, v):
    return w.admin(v).post('/v2.1/flavors/walk-flavor/os-extra_specs', {'extra_specs': {w.name('walk:key'): 'v'}})


@walk('GET', '/flavors/{flavor_id}/os-extra_specs/{key}')
def _(w, v):
    return w.member(v).get('/v2.1/flavors/walk-flavor/os-extra_specs/hw:cpu_policy')


@walk('PUT', '/flavors/{flavor_id}/os-extra_specs/{key}')
def _(w, v):
    return w.admin(v).put('/v2.1/flavors/walk-flavor/os-extra_specs/hw:cpu_policy', {'hw:cpu_policy': 'shared'})


@walk('DELETE', '/flavors/{flavor_id}/os-extra_specs/{key}')
def _(w, v):
    key = w.name('walk:gone')
    w.admin().post('/v2.1/flavors/walk-flavor/os-extra_specs', {'extra_specs': {key: 'v'}})
    return w.admin(v).delete('/v2.1/flavors/walk-flavor/os-extra_specs/%s' % key, status=200)


# -- images ------------------------------------------------------------------------------------
@walk('GET', '/images')
def _(w, v):
    return w.member(v).get('/v2.1/images')


@walk('GET', '/images/detail')
def _(w, v):
    return w.member(v).get('/v2.1/images/detail')


@walk('GET', '/images/{image_id}')
def _(w, v):
    return w.member(v).get('/v2.1/images/%s' % IMAGE)


def _snapshot(w):
    resp = w.member().post('/v2.1/servers/%s/action' % w.server_id, {'createImage': {'name': w.name('snap')}},
                           status=202)
    w.services.tasks.wait()
    return resp.headers['Location'].rsplit('/', 1)[1]


@walk('DELETE', '/images/{image_id}')
def _(w, v):
    return w.member(v).delete('/v2.1/images/%s' % _snapshot(w), status=204)


@walk('GET', '/images/{image_id}/metadata')
def _(w, v):
    return w.member(v).get('/v2.1/images/%s/metadata' % IMAGE)


@walk('POST', '/images/{image_id}/metadata')
def _(w, v):
    return w.admin(v).post('/v2.1/images/%s/metadata' % IMAGE, {'metadata': {'walked': 'yes'}})


@walk('PUT', '/images/{image_id}/metadata')
def _(w, v):
    return w.admin(v).put('/v2.1/images/%s/metadata' % IMAGE, {'metadata': {'walked': 'yes', 'os_distro': 'cirros'}})


@walk('GET', '/images/{image_id}/metadata/{key}')
def _(w, v):
    w.admin().put('/v2.1/images/%s/metadata/walked' % IMAGE, {'meta': {'walked': 'yes'}})
    return w.member(v).get('/v2.1/images/%s/metadata/walked' % IMAGE)


@walk('PUT', '/images/{image_id}/metadata/{key}')
def _(w, v):
    return w.admin(v).put('/v2.1/images/%s/metadata/walked' % IMAGE, {'meta': {'walked': 'again'}})


@walk('DELETE', '/images/{image_id}/metadata/{key}')
def _(w, v):
    w.admin().put('/v2.1/images/%s/metadata/gone' % IMAGE, {'meta': {'gone': 'soon'}})
    return w.admin(v).delete('/v2.1/images/%s/metadata/gone' % IMAGE, status=204)


# -- key pairs ---------------------------------------------------------------------------------
@walk('GET', '/os-keypairs')
def _(w, v):
    return w.member(v).get('/v2.1/os-keypairs')


@walk('POST', '/os-keypairs')
def _(w, v):
    return w.member(v).post('/v2.1/os-keypairs', {'keypair': {'name': w.name('key')}},
                            status=201 if v >= microversion.KEYPAIR_TYPE else 200)


@walk('GET', '/os-keypairs/{keypair_name}')
def _(w, v):
    return w.member(v).get('/v2.1/os-keypairs/walk-key')


@walk('DELETE', '/os-keypairs/{keypair_name}')
def _(w, v):
    name = w.name('key')
    w.member().post('/v2.1/os-keypairs', {'keypair': {'name': name}})
    return w.member(v).delete('/v2.1/os-keypairs/%s' % name, status=204 if v >= microversion.KEYPAIR_TYPE else 202)


# -- limits, quotas ----------------------------------------------------------------------------
@walk('GET', '/limits')
def _(w, v):
    return w.member(v).get('/v2.1/limits')


@walk('GET', '/os-quota-sets/{tenant_id}')
def _(w, v):
    return w.member(v).get('/v2.1/os-quota-sets/demo')


@walk('PUT', '/os-quota-sets/{tenant_id}')
def _(w, v):
    return w.admin(v).put('/v2.1/os-quota-sets/demo', {'quota_set': {'instances': 20, 'cores': 40}})


@walk('DELETE', '/os-quota-sets/{tenant_id}')
def _(w, v):
    project = w.name('project')
    w.admin().put('/v2.1/os-quota-sets/%s' % project, {'quota_set': {'instances': 3}})
    return w.admin(v).delete('/v2.1/os-quota-sets/%s' % project, status=202)


@walk('GET', '/os-quota-sets/{tenant_id}/detail')
def _(w, v):
    return w.member(v).get('/v2.1/os-quota-sets/demo/detail')


@walk('GET', '/os-quota-sets/{tenant_id}/defaults')
def _(w, v):
    return w.member(v).get('/v2.1/os-quota-sets/demo/defaults')


@walk('GET', '/os-quota-class-sets/{class_name}')
def _(w, v):
    return w.admin(v).get('/v2.1/os-quota-class-sets/default')


@walk('PUT', '/os-quota-class-sets/{class_name}')
def _(w, v):
    return w.admin(v).put('/v2.1/os-quota-class-sets/default', {'quota_class_set': {'instances': 10}})


# -- availability zones, server groups ---------------------------------------------------------
@walk('GET', '/os-availability-zone')
def _(w, v):
    return w.member(v).get('/v2.1/os-availability-zone')


@walk('GET', '/os-availability-zone/detail')
def _(w, v):
    return w.admin(v).get('/v2.1/os-availability-zone/detail')


@walk('GET', '/os-server-groups')
def _(w, v):
    return w.member(v).get('/v2.1/os-server-groups')


def _server_group(w, v):
    return w.member(v).post('/v2.1/os-server-groups', {'server_group': {
        'name': w.name('group'), 'policies': ['anti-affinity']}})


@walk('POST', '/os-server-groups')
def _(w, v):
    return _server_group(w, v)


@walk('GET', '/os-server-groups/{group_id}')
def _(w, v):
    return w.member(v).get('/v2.1/os-server-groups/%s' % w.group_id)


@walk('DELETE', '/os-server-groups/{group_id}')
def _(w, v):
    group_id = _server_group(w, None).json['server_group']['id']
    return w.member(v).delete('/v2.1/os-server-groups/%s' % group_id, status=204)


# -- hypervisors, services, hosts --------------------------------------------------------------
@walk('GET', '/os-hypervisors')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hypervisors')


@walk('GET', '/os-hypervisors/detail')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hypervisors/detail')


@walk('GET', '/os-hypervisors/statistics')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hypervisors/statistics')


@walk('GET', '/os-hypervisors/{hypervisor_id}')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hypervisors/%s' % w.hypervisor_id)


@walk('GET', '/os-hypervisors/{hypervisor_id}/uptime')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hypervisors/%s/uptime' % w.hypervisor_id)


@walk('GET', '/os-hypervisors/{hostname_pattern}/search')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hypervisors/%s/search' % w.hypervisor_name)


@walk('GET', '/os-hypervisors/{hostname_pattern}/servers')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hypervisors/%s/servers' % w.hypervisor_name)


@walk('GET', '/os-services')
def _(w, v):
    return w.admin(v).get('/v2.1/os-services')


@walk('GET', '/os-hosts')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hosts')


@walk('GET', '/os-hosts/{host_name}')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hosts/%s' % w.host)


@walk('PUT', '/os-hosts/{host_name}')
def _(w, v):
    return w.admin(v).put('/v2.1/os-hosts/%s' % w.host, {'status': 'enable', 'maintenance_mode': 'disable'})


@walk('GET', '/os-hosts/{host_name}/startup')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hosts/%s/startup' % w.host)


@walk('GET', '/os-hosts/{host_name}/shutdown')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hosts/%s/shutdown' % w.host)


@walk('GET', '/os-hosts/{host_name}/reboot')
def _(w, v):
    return w.admin(v).get('/v2.1/os-hosts/%s/reboot' % w.host)


# -- usage, audit ------------------------------------------------------------------------------
@walk('GET', '/os-simple-tenant-usage')
def _(w, v):
    return w.admin(v).get('/v2.1/os-simple-tenant-usage' + PERIOD + '&detailed=1')


@walk('GET', '/os-simple-tenant-usage/{tenant_id}')
def _(w, v):
    return w.member(v).get('/v2.1/os-simple-tenant-usage/demo' + PERIOD)


@walk('GET', '/os-instance_usage_audit_log')
def _(w, v):
    return w.admin(v).get('/v2.1/os-instance_usage_audit_log')


@walk('GET', '/os-instance_usage_audit_log/{before_timestamp}')
def _(w, v):
    return w.admin(v).get('/v2.1/os-instance_usage_audit_log/2026-11-23%2012:00:00')


# -- security groups ---------------------------------------------------------------------------
@walk('GET', '/os-security-groups')
def _(w, v):
    return w.member(v).get('/v2.1/os-security-groups')


def _security_group(w, v):
    return w.member(v).post('/v2.1/os-security-groups', {'security_group': {
        'name': w.name('sg'), 'description': 'walked'}})


@walk('POST', '/os-security-groups')
def _(w, v):
    return _security_group(w, v)


@walk('GET', '/os-security-groups/{security_group_id}')
def _(w, v):
    return w.member(v).get('/v2.1/os-security-groups/%s' % w.security_group_id)


@walk('PUT', '/os-security-groups/{security_group_id}')
def _(w, v):
    return w.member(v).put('/v2.1/os-security-groups/%s' % w.security_group_id, {'security_group': {
        'name': 'walk-sg', 'description': 'walked again'}})


@walk('DELETE', '/os-security-groups/{security_group_id}')
def _(w, v):
    group_id = _security_group(w, None).json['security_group']['id']
    return w.member(v).delete('/v2.1/os-security-groups/%s' % group_id, status=202)


def _rule(w, v, group_id):
    return w.member(v).post('/v2.1/os-security-group-rules', {'security_group_rule': {
        'parent_group_id': group_id, 'ip_protocol': 'udp', 'from_port': 53, 'to_port': 53,
        'group_id': w.security_group_id}})


@walk('POST', '/os-security-group-rules')
def _(w, v):
    return _rule(w, v, _security_group(w, None).json['security_group']['id'])


@walk('DELETE', '/os-security-group-rules/{security_group_rule_id}')
def _(w, v):
    rule_id = _rule(w, None, _security_group(w, None).json['security_group']['id']).json['security_group_rule']['id']
    return w.member(v).delete('/v2.1/os-security-group-rules/%s' % rule_id, status=202)


@walk('GET', '/servers/{server_id}/os-security-groups')
def _(w, v):
    return w.member(v).get('/v2.1/servers/%s/os-security-groups' % w.server_id)


# -- aggregates --------------------------------------------------------------------------------
@walk('GET', '/os-aggregates')
def _(w, v):
    return w.admin(v).get('/v2.1/os-aggregates')


def _aggregate(w, v):
    return w.admin(v).post('/v2.1/os-aggregates', {'aggregate': {'name': w.name('aggregate'),
                                                                 'availability_zone': 'walk-zone'}})


@walk('POST', '/os-aggregates')
def _(w, v):
    return _aggregate(w, v)


@walk('GET', '/os-aggregates/{aggregate_id}')
def _(w, v):
    return w.admin(v).get('/v2.1/os-aggregates/%s' % w.aggregate_id)


@walk('PUT', '/os-aggregates/{aggregate_id}')
def _(w, v):
    return w.admin(v).put('/v2.1/os-aggregates/%s' % w.aggregate_id, {'aggregate': {'name': 'walk-aggregate'}})


@walk('DELETE', '/os-aggregates/{aggregate_id}')
def _(w, v):
    aggregate_id = _aggregate(w, None).json['aggregate']['id']
    return w.admin(v).delete('/v2.1/os-aggregates/%s' % aggregate_id, status=200)


@walk('POST', '/os-aggregates/{aggregate_id}/action', 'add_host')
def _(w, v):
    aggregate_id = _aggregate(w, None).json['aggregate']['id']
    return w.admin(v).post('/v2.1/os-aggregates/%s/action' % aggregate_id, {'add_host': {'host': w.host}})


@walk('POST', '/os-aggregates/{aggregate_id}/action', 'remove_host')
def _(w, v):
    aggregate_id = _aggregate(w, None).json['aggregate']['id']
    w.admin().post('/v2.1/os-aggregates/%s/action' % aggregate_id, {'add_host': {'host': w.host}})
    return w.admin(v).post('/v2.1/os-aggregates/%s/action' % aggregate_id, {'remove_host': {'host': w.host}})


@walk('POST', '/os-aggregates/{aggregate_id}/action', 'set_metadata')
def _(w, v):
    return w.admin(v).post('/v2.1/os-aggregates/%s/action' % w.aggregate_id,
                           {'set_metadata': {'metadata': {'k': 'v', 'walked': 'yes'}}})


@walk('GET', '/os-floating-ip-pools')
def _(w, v):
    return w.member(v).get('/v2.1/os-floating-ip-pools')


# -- servers -----------------------------------------------------------------------------------
@walk('GET', '/servers')
def _(w, v):
    return w.member(v).get('/v2.1/servers')


@walk('POST', '/servers')
def _(w, v):
    return w.member(v).post('/v2.1/servers', {'server': {
        'name': w.name('server'), 'imageRef': IMAGE, 'flavorRef': '1', 'metadata': {'a': 'b'}}}, status=202)


@walk('GET', '/servers/detail')
def _(w, v):
    return w.member(v).get('/v2.1/servers/detail')


@walk('GET', '/servers/detail')
def _(w, v):
    return w.admin(v).get('/v2.1/servers/detail?all_tenants=1')


@walk('GET', '/servers/{server_id}')
def _(w, v):
    return w.member(v).get('/v2.1/servers/%s' % w.server_id)


@walk('GET', '/servers/{server_id}')
def _(w, v):
    return w.admin(v).get('/v2.1/servers/%s' % w.server_id)


@walk('PUT', '/servers/{server_id}')
def _(w, v):
    return w.member(v).put('/v2.1/servers/%s' % w.server_id, {'server': {'name': 'walked'}})


@walk('DELETE', '/servers/{server_id}')
def _(w, v):
    return w.member(v).delete('/v2.1/servers/%s' % w.boot(), status=204)


@walk('POST', '/servers/{server_id}/action', 'os-getConsoleOutput')
def _(w, v):
    return w.member(v).post('/v2.1/servers/%s/action' % w.server_id, {'os-getConsoleOutput': {'length': 5}})


@walk('POST', '/servers/{server_id}/remote-consoles')
def _(w, v):
    if v < microversion.REMOTE_CONSOLES:
        return None
    return w.member(v).post('/v2.1/servers/%s/remote-consoles' % w.server_id,
                            {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}})


@walk('GET', '/os-console-auth-tokens/{token}')
def _(w, v):
    # Walked once the server's maximum reaches 2.31 (below it nova answers a bare 400).
    if v < microversion.CONSOLE_AUTH_TOKENS:
        return None
    url = w.member(v).post('/v2.1/servers/%s/action' % w.server_id,
                           {'os-getVNCConsole': {'type': 'novnc'}}).json['console']['url']
    token = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)['path'][0].split('token=')[1]
    return w.admin(v).get('/v2.1/os-console-auth-tokens/%s' % token)


@walk('POST', '/servers/{server_id}/action', 'os-getVNCConsole')
def _(w, v):
    if v >= microversion.REMOTE_CONSOLES:
        return None
    return w.member(v).post('/v2.1/servers/%s/action' % w.server_id, {'os-getVNCConsole': {'type': 'novnc'}})


@walk('POST', '/servers/{server_id}/action', 'createImage')
def _(w, v):
    resp = w.member(v).post('/v2.1/servers/%s/action' % w.server_id, {'createImage': {'name': w.name('snap')}},
                            status=202)
    w.services.tasks.wait()
    return resp


@walk('POST', '/servers/{server_id}/action', 'createBackup')
def _(w, v):
    resp = w.member(v).post('/v2.1/servers/%s/action' % w.server_id, {'createBackup': {
        'name': w.name('backup'), 'backup_type': 'daily', 'rotation': 1}}, status=202)
    w.services.tasks.wait()
    return resp


@walk('POST', '/servers/{server_id}/action', 'rescue')
def _(w, v):
    server_id = w.boot()
    return w.member(v).post('/v2.1/servers/%s/action' % server_id, {'rescue': None})


@walk('POST', '/servers/{server_id}/action', 'rebuild')
def _(w, v):
    server_id = w.boot()
    resp = w.member(v).post('/v2.1/servers/%s/action' % server_id, {'rebuild': {'imageRef': IMAGE}}, status=202)
    w.services.tasks.wait()
    return resp


@walk('POST', '/servers/{server_id}/action', 'reboot')
def _(w, v):
    resp = w.member(v).post('/v2.1/servers/%s/action' % w.server_id, {'reboot': {'type': 'SOFT'}}, status=202)
    w.services.tasks.wait()
    return resp


@walk('GET', '/servers/{server_id}/os-instance-actions')
def _(w, v):
    return w.member(v).get('/v2.1/servers/%s/os-instance-actions' % w.server_id)


@walk('GET', '/servers/{server_id}/os-instance-actions/{request_id}')
def _(w, v):
    return w.member(v).get('/v2.1/servers/%s/os-instance-actions/%s' % (w.server_id, w.request_id))


@walk('GET', '/servers/{server_id}/os-instance-actions/{request_id}')
def _(w, v):
    return w.admin(v).get('/v2.1/servers/%s/os-instance-actions/%s' % (w.server_id, w.request_id))


@walk('GET', '/os-migrations')
def _(w, v):
    return w.admin(v).get('/v2.1/os-migrations')


@walk('POST', '/os-server-external-events')
def _(w, v):
    return w.admin(v).post('/v2.1/os-server-external-events', {'events': [
        {'name': 'network-changed', 'server_uuid': w.server_id}]})


@walk('GET', '/servers/{server_id}/os-server-password')
def _(w, v):
    return w.member(v).get('/v2.1/servers/%s/os-server-password' % w.server_id)


@walk('DELETE', '/servers/{server_id}/os-server-password')
def _(w, v):
    return w.member(v).delete('/v2.1/servers/%s/os-server-password' % w.server_id, status=204)


@walk('GET', '/servers/{server_id}/diagnostics')
def _(w, v):
    return w.admin(v).get('/v2.1/servers/%s/diagnostics' % w.server_id)


@walk('GET', '/servers/{server_id}/ips')
def _(w, v):
    return w.member(v).get('/v2.1/servers/%s/ips' % w.server_id)


@walk('GET', '/servers/{server_id}/ips/{network_label}')
def _(w, v):
    return w.member(v).get('/v2.1/servers/%s/ips/%s' % (w.server_id, w.network_label))


@walk('GET', '/servers/{server_id}/metadata')
def _(w, v):
    return w.member(v).get('/v2.1/servers/%s/metadata' % w.server_id)


@walk('POST', '/servers/{server_id}/metadata')
def _(w, v):
    return w.member(v).post('/v2.1/servers/%s/metadata' % w.server_id, {'metadata': {'walked': 'yes'}})


@walk('PUT', '/servers/{server_id}/metadata')
def _(w, v):
    return w.member(v).put('/v2.1/servers/%s/metadata' % w.server_id, {'metadata': {'role': 'walked', 'tier': 'one'}})


@walk('GET', '/servers/{server_id}/metadata/{key}')
def _(w, v):
    return w.member(v).get('/v2.1/servers/%s/metadata/role' % w.server_id)


@walk('PUT', '/servers/{server_id}/metadata/{key}')
def _(w, v):
    return w.member(v).put('/v2.1/servers/%s/metadata/role' % w.server_id, {'meta': {'role': 'walked'}})


@walk('DELETE', '/servers/{server_id}/metadata/{key}')
def _(w, v):
    w.member().put('/v2.1/servers/%s/metadata/gone' % w.server_id, {'meta': {'gone': 'soon'}})
    return w.member(v).delete('/v2.1/servers/%s/metadata/gone' % w.server_id, status=204)
