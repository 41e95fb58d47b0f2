"""Every route has a policy check, and its default is nova's.

The walk covers router.ROUTES — every path x method, and every server action — on /v2.1/{project}
and /v2/{project}, as callers of different roles (keystonemiddleware's AuthTokenFixture issues
their tokens; the pipeline is the real keystone one). For each request it asserts:
  * callers nova's default admits get past policy (a GET answers 200; anything else is not a
    401, a policy 403 or a 5xx: a 400 for the walk's empty body is fine);
  * callers it does not admit get nova's policy fault (403 "Policy doesn't allow <rule> to be
    performed."), or, for a resource of another project, exactly what a random id gets;
  * a user with no role in the project is refused everything outside ANY_CALLER_ROUTES.
A route missing from NOVA_DEFAULTS fails the walk: add it with nova's default
(nova/policies/*.py) after giving it a policy check. tests/integration/test_keystone_roles.py
runs the same walk against a real Keystone and the real server process.
"""
import dataclasses
import json
import re
import time
import uuid

import pytest
from keystonemiddleware import fixture as ksm_fixture

from compute_api.api import microversion
from compute_api.api import router
from compute_api.api.handlers import aggregates
from compute_api.api.handlers import flavor_access
from compute_api.api.handlers import server_actions
from tests.functional import test_auth_keystone as ks

ANY, READER, MEMBER, ADMIN = 'any', 'reader', 'member', 'admin'

# Routes nova opens to every authenticated caller ('@'), each with the rule that says so. A user
# with no role at all may call these; any route not listed here must refuse such a user.
ANY_CALLER_ROUTES = {
    ('GET', '/extensions'): 'os_compute_api:extensions',
    ('GET', '/extensions/{}'): 'os_compute_api:extensions',
    ('GET', '/flavors'): 'flavors (nova has no policy on reading flavors)',
    ('GET', '/flavors/detail'): 'flavors',
    ('GET', '/flavors/{}'): 'flavors',
    ('GET', '/limits'): 'os_compute_api:limits',
    ('GET', '/os-availability-zone'): 'os_compute_api:os-availability-zone:list',
    ('GET', '/os-keypairs'): 'os_compute_api:os-keypairs:index (the caller\'s own key pairs)',
    ('POST', '/os-keypairs'): 'os_compute_api:os-keypairs:create',
    ('GET', '/os-keypairs/{}'): 'os_compute_api:os-keypairs:show',
    ('DELETE', '/os-keypairs/{}'): 'os_compute_api:os-keypairs:delete',
    ('GET', '/os-quota-sets/{}/defaults'): 'os_compute_api:os-quota-sets:defaults',
    ('GET', '/os-floating-ip-pools'): 'os_compute_api:os-floating-ip-pools',
}

# (method, path with {} for parameters) -> who nova's default admits: ANY (see above), READER
# (project reader or admin), MEMBER (project member or admin), ADMIN.
NOVA_DEFAULTS = {
    **{route: ANY for route in ANY_CALLER_ROUTES},
    ('GET', '/servers'): READER,
    ('GET', '/servers/detail'): READER,
    ('POST', '/servers'): MEMBER,
    ('GET', '/servers/{}'): READER,
    ('PUT', '/servers/{}'): MEMBER,
    ('DELETE', '/servers/{}'): MEMBER,
    ('GET', '/servers/{}/ips'): READER,
    ('GET', '/servers/{}/ips/{}'): READER,
    ('GET', '/servers/{}/metadata'): READER,
    ('POST', '/servers/{}/metadata'): MEMBER,
    ('PUT', '/servers/{}/metadata'): MEMBER,
    ('GET', '/servers/{}/metadata/{}'): READER,
    ('PUT', '/servers/{}/metadata/{}'): MEMBER,
    ('DELETE', '/servers/{}/metadata/{}'): MEMBER,
    ('GET', '/servers/{}/os-instance-actions'): READER,
    ('GET', '/servers/{}/os-instance-actions/{}'): READER,
    ('GET', '/os-migrations'): ADMIN,
    ('POST', '/os-server-external-events'): ADMIN,
    ('GET', '/os-instance_usage_audit_log'): ADMIN,
    ('GET', '/os-instance_usage_audit_log/{}'): ADMIN,
    ('GET', '/servers/{}/os-server-password'): READER,
    ('GET', '/servers/{}/diagnostics'): ADMIN,
    ('DELETE', '/servers/{}/os-server-password'): MEMBER,
    ('GET', '/images'): READER,
    ('GET', '/images/detail'): READER,
    ('GET', '/images/{}'): READER,
    ('DELETE', '/images/{}'): MEMBER,
    ('GET', '/images/{}/metadata'): READER,
    ('POST', '/images/{}/metadata'): MEMBER,
    ('PUT', '/images/{}/metadata'): MEMBER,
    ('GET', '/images/{}/metadata/{}'): READER,
    ('PUT', '/images/{}/metadata/{}'): MEMBER,
    ('DELETE', '/images/{}/metadata/{}'): MEMBER,
    ('POST', '/flavors'): ADMIN,
    ('DELETE', '/flavors/{}'): ADMIN,
    ('GET', '/flavors/{}/os-extra_specs'): READER,
    ('POST', '/flavors/{}/os-extra_specs'): ADMIN,
    ('GET', '/flavors/{}/os-extra_specs/{}'): READER,
    ('PUT', '/flavors/{}/os-extra_specs/{}'): ADMIN,
    ('DELETE', '/flavors/{}/os-extra_specs/{}'): ADMIN,
    ('GET', '/flavors/{}/os-flavor-access'): ADMIN,
    ('GET', '/os-availability-zone/detail'): ADMIN,
    ('GET', '/os-simple-tenant-usage'): ADMIN,
    ('GET', '/os-simple-tenant-usage/{}'): READER,
    ('GET', '/os-hypervisors'): ADMIN,
    ('GET', '/os-hypervisors/detail'): ADMIN,
    ('GET', '/os-hypervisors/statistics'): ADMIN,
    ('GET', '/os-hypervisors/{}'): ADMIN,
    ('GET', '/os-hypervisors/{}/uptime'): ADMIN,
    ('GET', '/os-hypervisors/{}/search'): ADMIN,
    ('GET', '/os-hypervisors/{}/servers'): ADMIN,
    ('GET', '/os-services'): ADMIN,
    ('GET', '/os-server-groups'): READER,
    ('POST', '/os-server-groups'): MEMBER,
    ('GET', '/os-server-groups/{}'): READER,
    ('DELETE', '/os-server-groups/{}'): MEMBER,
    ('GET', '/os-quota-sets/{}'): READER,
    ('PUT', '/os-quota-sets/{}'): ADMIN,
    ('DELETE', '/os-quota-sets/{}'): ADMIN,
    ('GET', '/os-quota-sets/{}/detail'): READER,
    ('GET', '/os-quota-class-sets/{}'): ADMIN,
    ('PUT', '/os-quota-class-sets/{}'): ADMIN,
    ('GET', '/os-security-groups'): READER,
    ('POST', '/os-security-groups'): MEMBER,
    ('GET', '/os-security-groups/{}'): READER,
    ('PUT', '/os-security-groups/{}'): MEMBER,
    ('DELETE', '/os-security-groups/{}'): MEMBER,
    ('POST', '/os-security-group-rules'): MEMBER,
    ('DELETE', '/os-security-group-rules/{}'): MEMBER,
    ('GET', '/servers/{}/os-security-groups'): READER,
    ('GET', '/os-aggregates'): ADMIN,
    ('POST', '/os-aggregates'): ADMIN,
    ('GET', '/os-aggregates/{}'): ADMIN,
    ('PUT', '/os-aggregates/{}'): ADMIN,
    ('DELETE', '/os-aggregates/{}'): ADMIN,
    ('GET', '/os-hosts'): ADMIN,
    ('GET', '/os-hosts/{}'): ADMIN,
    ('PUT', '/os-hosts/{}'): ADMIN,
    ('GET', '/os-hosts/{}/startup'): ADMIN,
    ('GET', '/os-hosts/{}/shutdown'): ADMIN,
    ('GET', '/os-hosts/{}/reboot'): ADMIN,
    ('POST', '/servers/{}/remote-consoles'): MEMBER,
    ('GET', '/os-console-auth-tokens/{}'): ADMIN,
}

# Server actions (POST /servers/{id}/action): action -> who nova's default admits.
NOVA_ACTION_DEFAULTS = {
    'reboot': MEMBER, 'resize': MEMBER, 'confirmResize': MEMBER, 'revertResize': MEMBER,
    'rebuild': MEMBER, 'createImage': MEMBER, 'changePassword': MEMBER,
    'os-start': MEMBER, 'os-stop': MEMBER, 'pause': MEMBER, 'unpause': MEMBER,
    'suspend': MEMBER, 'resume': MEMBER, 'lock': MEMBER, 'unlock': MEMBER,
    'createBackup': MEMBER, 'shelve': MEMBER, 'unshelve': MEMBER, 'shelveOffload': ADMIN,
    'rescue': MEMBER, 'unrescue': MEMBER, 'forceDelete': MEMBER, 'restore': MEMBER,
    'os-getConsoleOutput': MEMBER, 'trigger_crash_dump': MEMBER,
    'os-resetState': ADMIN, 'injectNetworkInfo': ADMIN, 'resetNetwork': ADMIN,
    'migrate': ADMIN, 'os-migrateLive': ADMIN, 'evacuate': ADMIN,
    'addSecurityGroup': MEMBER, 'removeSecurityGroup': MEMBER,
    'os-getVNCConsole': MEMBER, 'os-getSPICEConsole': MEMBER, 'os-getSerialConsole': MEMBER,
    'os-getRDPConsole': MEMBER,
}
# Flavor actions (POST /flavors/{id}/action).
NOVA_FLAVOR_ACTION_DEFAULTS = {'addTenantAccess': ADMIN, 'removeTenantAccess': ADMIN}
# Aggregate actions (POST /os-aggregates/{id}/action).
NOVA_AGGREGATE_ACTION_DEFAULTS = {'add_host': ADMIN, 'remove_host': ADMIN, 'set_metadata': ADMIN}
ACTION_DEFAULTS = {'/servers/{}/action': NOVA_ACTION_DEFAULTS, '/flavors/{}/action': NOVA_FLAVOR_ACTION_DEFAULTS,
                   '/os-aggregates/{}/action': NOVA_AGGREGATE_ACTION_DEFAULTS}
# The actions each action route serves: the walk must have run every one of them (an action
# missing from the defaults above is reported, one answering "no such action" is not served).
SERVED_ACTIONS = {'/servers/{}/action': server_actions.ACTIONS, '/flavors/{}/action': flavor_access.ACTIONS,
                  '/os-aggregates/{}/action': aggregates.ACTIONS}
NO_SUCH_ACTION = 'There is no such action'
# What nova answers with a bare 400 whoever calls, before any policy check: (method, path,
# action) -> the prefixes where it does (os-getRDPConsole went with Hyper-V; console tokens are
# shown only from microversion 2.31 on /v2.1).
REFUSED_BEFORE_POLICY = {
    ('POST', '/servers/{}/action', 'os-getRDPConsole'): ('/v2.1', '/v2'),
    ('GET', '/os-console-auth-tokens/{}', None): ('/v2.1',),
}
BARE_400 = {'badRequest': {'code': 400, 'message': 'The server could not comply with the request since it is '
                                                   'either malformed or otherwise incorrect.'}}
BARE_404 = {'itemNotFound': {'code': 404, 'message': 'The resource could not be found.'}}

WALK_PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEgu5FrjT5hgQ2UyySRYTUqyIitvQy98dlyMIyV0GoP2 walk'
POLICY_FAULT = re.compile(r"^Policy doesn't allow [\w:.-]+ to be performed\.$")
HOME, OTHER = 'p1', 'p2'


@dataclasses.dataclass(frozen=True)
class Caller:
    name: str
    project: str
    roles: tuple

    @property
    def is_admin(self):
        return 'admin' in self.roles


CALLERS = [
    Caller('admin-of-another-project', 'padmin', ('admin', 'member', 'reader')),
    Caller('member', HOME, ('member', 'reader')),
    Caller('reader', HOME, ('reader',)),
    Caller('no-role', HOME, ('observer',)),  # a role nova's defaults know nothing of
    Caller('member-of-another-project', OTHER, ('member', 'reader')),
]


def shape(path):
    return re.sub(r'\{[^}]+\}', '{}', path)


def admits(access, caller, owner):
    """Whether nova's default `access` admits `caller` on a resource of project `owner` (None:
    the request touches no project's resource, e.g. a collection, which is the caller's own)."""
    if access == ANY or caller.is_admin:
        return True
    if access == ADMIN or (owner is not None and owner != caller.project):
        return False
    return access in caller.roles


def route_requests():
    """(method, path template, action or None) for every route and every action nova has or this
    server serves."""
    for path, methods in router.ROUTES:
        for method in sorted(methods):
            if method == 'POST' and shape(path) in ACTION_DEFAULTS:
                for action in sorted(set(ACTION_DEFAULTS[shape(path)]) | set(SERVED_ACTIONS[shape(path)])):
                    yield method, path, action
            else:
                yield method, path, None


def served(method, path, action, prefix):
    """Whether the walk's requests (no microversion asked: 2.1 on /v2.1) reach the handler; one
    that exists only in a range of versions (microversion.in_versions) answers nova's bare 404
    outside it, to every caller."""
    if action:
        handler = server_actions.ACTIONS.get(action) if shape(path) == '/servers/{}/action' else None
    else:
        handler = dict(router.ROUTES)[path][method]
    serves = getattr(handler, 'serves', None)
    return serves is None or serves(None if prefix == '/v2' else microversion.MIN_VERSION)


def access_for(method, path, action):
    if action:
        return ACTION_DEFAULTS[shape(path)].get(action)
    return NOVA_DEFAULTS.get((method, shape(path)))


# -- resources the walk's paths name --------------------------------------------------------------

class Resources:
    """Values for path parameters, created on demand through the API (as the home member or an
    admin), and created again after a request changed or deleted them."""

    def __init__(self, call, member, admin, home=HOME, everyone=()):
        self.call, self.member, self.admin, self.home = call, member, admin, home
        self.everyone = tuple(everyone)  # every caller's token: for what each user owns (key pairs)
        self.cache = {}

    # The collection a parameter follows decides what it is: '/servers/{x}' names a server.
    def resolve(self, collection, path_so_far, template=''):
        """(value, owning project or None) for the parameter after `collection` in `template`."""
        kind = {'servers': 'server', 'images': 'image', 'flavors': 'flavor', 'extensions': 'alias',
                'ips': 'network', 'metadata': 'metadata_key', 'os-quota-sets': 'project',
                'os-extra_specs': 'extra_spec_key', 'os-keypairs': 'keypair', 'os-instance-actions': 'instance_action',
                'os-server-groups': 'server_group', 'os-hypervisors': 'hypervisor',
                'os-simple-tenant-usage': 'project', 'os-quota-class-sets': 'quota_class',
                'os-security-groups': 'security_group',
                'os-security-group-rules': 'security_group_rule', 'os-aggregates': 'aggregate',
                'os-hosts': 'host', 'os-instance_usage_audit_log': 'before_timestamp',
                'os-console-auth-tokens': 'console_token'}.get(collection)
        if kind == 'flavor' and '/os-flavor-access' in template:
            kind = 'private_flavor'  # public flavors have no access list
        if kind == 'hypervisor' and template.endswith(('/search', '/servers')):
            kind = 'hypervisor_pattern'
        if kind is None:
            raise AssertionError('the walk cannot fill a parameter after /%s/ in %s: teach Resources.resolve'
                                 % (collection, path_so_far))
        if kind not in self.cache:
            self.cache[kind] = getattr(self, '_' + kind)(path_so_far)
        return self.cache[kind]

    def forget(self):
        self.cache.clear()

    def _server(self, path):
        status, body = self.call('POST', '/v2.1/%s/servers' % self.home, self.member, {'server': {
            'name': 'walk', 'imageRef': '155d900f-4e14-4e4c-a73d-069cbf4541e6', 'flavorRef': '1',
            'metadata': {'k1': 'v1'}}})
        assert status == 202, (status, body)
        return body['server']['id'], self.home

    def _image(self, path):
        # A private image of the home project: a snapshot of its server.
        server, _owner = self.resolve('servers', '/servers/{}')
        self._wait_idle(server)  # createImage needs an ACTIVE server with no task in flight
        status, body = self.call('POST', '/v2.1/%s/servers/%s/action' % (self.home, server), self.member,
                                 {'createImage': {'name': 'walk-snapshot', 'metadata': {'k1': 'v1'}}})
        assert status == 202, (status, body)
        return body['image_id'] if body and 'image_id' in body else self._image_from_list(), self.home

    def _wait_idle(self, server, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            status, body = self.call('GET', '/v2.1/%s/servers/%s' % (self.home, server), self.member, None)
            assert status == 200, (status, body)
            if body['server']['status'] == 'ACTIVE' and body['server']['OS-EXT-STS:task_state'] is None:
                return
            assert time.monotonic() < deadline, 'server %s never became ACTIVE: %s' % (server, body)
            time.sleep(0.05)

    def _image_from_list(self):
        status, body = self.call('GET', '/v2.1/%s/images/detail' % self.home, self.member, None)
        mine = [i for i in body['images'] if i['name'] == 'walk-snapshot']
        assert mine, body
        return mine[0]['id']

    def _flavor(self, path, is_public=True):
        # A flavor of the walk's own: deleting it must not take a flavor the servers need.
        status, body = self.call('POST', '/v2.1/flavors', self.admin, {'flavor': {
            'name': 'walk-%s' % uuid.uuid4().hex, 'ram': 64, 'vcpus': 1, 'disk': 1,
            'os-flavor-access:is_public': is_public}})
        assert status == 200, (status, body)
        return body['flavor']['id'], None

    def _private_flavor(self, path):
        return self._flavor(path, is_public=False)

    def _extra_spec_key(self, path):
        flavor = path.split('/')[2]
        status, body = self.call('POST', '/v2.1/flavors/%s/os-extra_specs' % flavor, self.admin,
                                 {'extra_specs': {'k1': 'v1'}})
        assert status == 200, (status, body)
        return 'k1', None

    def _keypair(self, path):
        # Key pairs are per user: every caller gets one of this name, to read or delete its own.
        for token in {self.member, self.admin, *self.everyone}:
            status, body = self.call('POST', '/v2.1/os-keypairs', token, {'keypair': {
                'name': 'walk-key', 'public_key': WALK_PUBLIC_KEY}})
            assert status in (200, 409), (status, body)
        return 'walk-key', None

    def _server_group(self, path):
        status, body = self.call('POST', '/v2.1/%s/os-server-groups' % self.home, self.member, {'server_group': {
            'name': 'walk-group', 'policies': ['anti-affinity']}})
        assert status == 200, (status, body)
        return body['server_group']['id'], self.home

    def _security_group(self, path):
        status, body = self.call('POST', '/v2.1/%s/os-security-groups' % self.home, self.member, {'security_group': {
            'name': 'walk-%s' % uuid.uuid4().hex, 'description': 'walk'}})
        assert status == 200, (status, body)
        return str(body['security_group']['id']), self.home

    def _security_group_rule(self, path):
        group, _owner = self.resolve('os-security-groups', '/os-security-groups/{}')
        status, body = self.call('POST', '/v2.1/%s/os-security-group-rules' % self.home, self.member, {
            'security_group_rule': {'parent_group_id': group, 'ip_protocol': 'tcp', 'from_port': 22,
                                    'to_port': 22, 'cidr': '10.0.0.0/8'}})
        assert status == 200, (status, body)
        return str(body['security_group_rule']['id']), self.home

    def _aggregate(self, path):
        status, body = self.call('POST', '/v2.1/os-aggregates', self.admin, {'aggregate': {
            'name': 'walk-%s' % uuid.uuid4().hex}})
        assert status == 200, (status, body)
        return str(body['aggregate']['id']), None

    def _console_token(self, path):
        server, _owner = self.resolve('servers', '/servers/{}')
        self._wait_idle(server)  # a console needs the server on its host
        status, body = self.call('POST', '/v2.1/%s/servers/%s/action' % (self.home, server), self.member,
                                 {'os-getVNCConsole': {'type': 'novnc'}})
        assert status == 200, (status, body)
        return body['console']['url'].rsplit('%3D', 1)[1], None

    def _before_timestamp(self, path):
        return '2020-01-01%2000:00:00', None  # as a client sends it: the space encoded

    def _host(self, path):
        status, body = self.call('GET', '/v2.1/os-hosts', self.admin, None)
        assert status == 200, (status, body)
        return body['hosts'][0]['host_name'], None

    def _hypervisor(self, path):
        return '1', None

    def _hypervisor_pattern(self, path):
        status, body = self.call('GET', '/v2.1/os-hypervisors', self.admin, None)
        assert status == 200, (status, body)
        return body['hypervisors'][0]['hypervisor_hostname'], None

    def _alias(self, path):
        return 'OS-FLV-EXT-DATA', None

    def _network(self, path):
        return 'private', None  # belongs to the server the path names

    def _instance_action(self, path):
        # The request id of an action on the server the path names (its create, at least).
        server = path.split('/')[2]
        status, body = self.call('GET', '/v2.1/%s/servers/%s/os-instance-actions' % (self.home, server), self.member,
                                 None)
        assert status == 200 and body['instanceActions'], (status, body)
        return body['instanceActions'][0]['request_id'], None

    def _metadata_key(self, path):
        return 'k1', None  # belongs to the server or image the path names

    def _quota_class(self, path):
        return 'default', None

    def _project(self, path):
        return self.home, self.home


def fill(template, resources):
    """The concrete path for `template`, and the owner of the resources it names (None: none)."""
    segments, owner = [], None
    for segment in template.strip('/').split('/'):
        if segment.startswith('{'):
            value, value_owner = resources.resolve(segments[-1], '/' + '/'.join(segments) + '/' + segment,
                                                   template)
            owner = owner or value_owner
            segments.append(value)
        else:
            segments.append(segment)
    return '/' + '/'.join(segments), owner


def body_for(method, action):
    if action:
        return {action: None}
    return {} if method in ('POST', 'PUT') else None


def randomized(path, template):
    """`path` with every parameter replaced by a value nothing has, and the replacements."""
    out, swaps = [], {}
    for concrete, segment in zip(path.strip('/').split('/'), template.strip('/').split('/')):
        if segment.startswith('{'):
            # an integer id (security groups) is replaced by an integer: a UUID would be a 400 there
            fake = str(uuid.uuid4().int % 10 ** 12) if concrete.isdigit() else str(uuid.uuid4())
            swaps[fake] = concrete
            out.append(fake)
        else:
            out.append(concrete)
    return '/' + '/'.join(out), swaps


# -- the walk --------------------------------------------------------------------------------------

def walk(call, resources, callers, tokens, prefixes=('/v2.1', '/v2'), raw_call=None):
    """Run every route as every caller; returns (results, problems).

    `call(method, url, token, body) -> (status, json)`; `raw_call` the same returning the body
    bytes (for comparing refusals with a random id's). `tokens` maps caller name -> token.
    results: (route, prefix, caller, admitted by nova's default, status) per request made.
    """
    results, problems = [], []
    for method, template, action in route_requests():
        access = access_for(method, template, action)
        label = '%s %s%s' % (method, template, ' (%s)' % action if action else '')
        if access is None:
            problems.append('%s: not in NOVA_DEFAULTS (or the action defaults): give it a policy check and '
                            'nova\'s default' % label)
            continue
        # Refused callers first: what they try must not change anything an admitted one needs.
        ordered = sorted(callers, key=lambda c: admits(access, c, resources.home))
        for caller, prefix in [(caller, prefix) for caller in ordered for prefix in prefixes]:
            path, owner = fill(template, resources)
            url = '%s/%s%s' % (prefix, caller.project, path)
            body = body_for(method, action)
            status, answer = call(method, url, tokens[caller.name], body)
            if action and status == 400 and NO_SUCH_ACTION in json.dumps(answer):
                break  # an action nova has but this server does not implement (yet)
            if not served(method, template, action, prefix) or prefix in REFUSED_BEFORE_POLICY.get(
                    (method, shape(template), action), ()):
                expected = (404, BARE_404) if not served(method, template, action, prefix) else (400, BARE_400)
                if (status, answer) != expected:
                    problems.append('%s %s as %s: %s %s instead of %s %s' % (
                        label, prefix, caller.name, status, answer, *expected))
                results.append((label, prefix, caller.name, None, status))
                continue
            admitted = admits(access, caller, owner)
            problem = check(admitted, caller, owner, status, answer, method)
            if problem is None and not admitted and owner not in (None, caller.project) and raw_call:
                problem = compare_with_random(raw_call, method, url, template, prefix, caller,
                                              tokens[caller.name], body)
            results.append((label, prefix, caller.name, admitted, status))
            if problem:
                problems.append('%s %s as %s: %s' % (label, prefix, caller.name, problem))
            if method != 'GET' and 200 <= status < 300:
                resources.forget()  # it may have changed or deleted what the next request needs
    return results, problems


def walked_actions(results):
    """{(action route shape, action)} the walk ran (an unserved action answers and is left)."""
    walked = set()
    for label, *_rest in results:
        route, _sep, action = label.partition(' (')
        if action:
            walked.add((shape(route.split(' ', 1)[1]), action.rstrip(')')))
    return walked


def served_actions():
    return {(path, action) for path, actions in SERVED_ACTIONS.items() for action in actions}


def check(admitted, caller, owner, status, body, method):
    fault = next(iter(body.values()), {}) if isinstance(body, dict) and len(body) == 1 else {}
    message = fault.get('message', '') if isinstance(fault, dict) else ''
    is_policy_fault = status == 403 and bool(POLICY_FAULT.match(message))
    if admitted:
        if status == 401 or is_policy_fault or status >= 500:
            return 'admitted by nova\'s default but got %s %s' % (status, body)
        if method == 'GET' and status != 200:
            return 'a GET of an existing resource got %s %s' % (status, body)
        return None
    if owner not in (None, caller.project):
        if status in (403, 404):
            return None  # and its body must be a random id's (compare_with_random)
        return 'another project\'s resource answered %s %s' % (status, body)
    if not is_policy_fault:
        return 'refused by nova\'s default but got %s %s (no policy check?)' % (status, body)
    return None


def compare_with_random(raw_call, method, url, template, prefix, caller, token, body):
    """None when refusing `url` looks exactly like refusing the same path with random ids."""
    real_status, real_body = raw_call(method, url, token, body)
    fake_path, swaps = randomized(url[len(prefix) + len(caller.project) + 1:], template)
    fake_status, fake_body = raw_call(method, '%s/%s%s' % (prefix, caller.project, fake_path), token, body)
    for fake, real in swaps.items():
        fake_body = fake_body.replace(fake.encode(), real.encode())
    if (real_status, real_body) != (fake_status, fake_body):
        return 'leaks existence: %s %r vs a random id\'s %s %r' % (real_status, real_body, fake_status,
                                                                   fake_body)
    return None


# -- the functional run ---------------------------------------------------------------------------

@pytest.fixture
def walk_app(tmp_path, database_url, store):
    """make(policy=None) -> (call, raw_call, tokens) on the keystone pipeline, quotas unlimited."""
    fixture = ksm_fixture.AuthTokenFixture()
    fixture.setUp()

    def make(policy=None):
        conf = ks.write_config(tmp_path, database_url, policy=policy)
        for name in ('instances', 'cores', 'ram'):
            conf.set_override(name, -1, group='quota')
        app = ks.keystone_app(conf, store)
        tokens = {caller.name: ks.add_token(fixture, project=caller.project, user=caller.name,
                                            roles=caller.roles) for caller in CALLERS}

        def raw_call(method, url, token, body):
            kwargs = {'headers': {'X-Auth-Token': token}, 'expect_errors': True}
            if body is not None:
                resp = getattr(app, method.lower() + '_json')(url, body, **kwargs)
            else:
                resp = app.request(url, method=method, **kwargs)
            return resp.status_int, resp.body

        def call(method, url, token, body):
            status, raw = raw_call(method, url, token, body)
            return status, json.loads(raw) if raw else None
        return call, raw_call, tokens

    yield make
    fixture.cleanUp()


def test_every_route_checks_novas_default_policy(walk_app):
    call, raw_call, tokens = walk_app()
    resources = Resources(call, tokens['member'], tokens['admin-of-another-project'], everyone=tokens.values())
    results, problems = walk(call, resources, CALLERS, tokens, raw_call=raw_call)
    assert not problems, '\n'.join(problems)
    assert {label.split(' (')[0] for label, *_rest in results} == {
        '%s %s' % (method, path) for path, methods in router.ROUTES for method in methods}
    assert walked_actions(results) == served_actions()


def test_the_walk_notices_wrong_policy(walk_app):
    # Readers' rules opened to anyone, flavors closed to non-admins: both must be reported.
    call, raw_call, tokens = walk_app(policy={'project_reader_api': '@', 'os_compute_api:flavors': 'role:admin'})
    resources = Resources(call, tokens['member'], tokens['admin-of-another-project'], everyone=tokens.values())
    _results, problems = walk(call, resources, CALLERS, tokens, prefixes=('/v2.1',), raw_call=raw_call)
    assert any(p.startswith('GET /flavors /v2.1 as no-role: admitted by nova') for p in problems), problems
    reader_routes = [route for route, access in NOVA_DEFAULTS.items() if access == READER
                     and route in {(m, shape(p)) for p, methods in router.ROUTES for m in methods}]
    if reader_routes:
        assert any('as no-role: refused by nova' in p for p in problems), problems
