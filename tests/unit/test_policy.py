"""Policy defaults: nova's rule names and roles, overrides, and the oslopolicy-* tools."""
import json
import os
import re
import subprocess
import sys
import time

import pytest
from oslo_policy import _checks
from oslo_policy import _parser
from oslo_policy import opts as policy_opts
from oslo_policy import policy as oslo_policy

from compute_api import conf as conf_mod
from compute_api import context as context_mod
from compute_api import exception
from compute_api import policy
from compute_api.api import router

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE_NAMES = {rule.name for rule in policy.BASE_RULES}
# Nova's prefixes: API rules, and the few compute:/network: rules nova keeps for create options.
NOVA_RULE_NAME = re.compile(r'^(os_compute_api:[a-z0-9_-]+(:[a-z0-9_-]+)*'
                            r'|compute:servers:[a-z0-9_:-]+|network:[a-z0-9_]+)$')


def make_enforcer(tmp_path, overrides=None):
    conf = conf_mod.make_conf([])
    policy_opts.set_defaults(conf)
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text(''.join('"%s": "%s"\n' % item for item in (overrides or {}).items()))
    conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    return policy.make_enforcer(conf), policy_file


def ctx(project='p1', roles=(), user='u1'):
    return context_mod.RequestContext(user_id=user, project_id=project, roles=list(roles))


def allowed(enforcer, rule, context, owner='p1'):
    try:
        policy.authorize(enforcer, context, rule, {'project_id': owner, 'user_id': 'someone'})
        return True
    except exception.PolicyNotAuthorized:
        return False


# -- the rules themselves --------------------------------------------------------------------------

def test_rule_names_are_novas_and_unique():
    names = [rule.name for rule in policy.API_RULES]
    assert len(names) == len(set(names))
    assert not BASE_NAMES & set(names)
    bad = [name for name in names if not NOVA_RULE_NAME.match(name)]
    assert not bad, 'not a nova policy name: %s' % bad


def test_every_check_string_parses_and_refers_only_to_defined_rules():
    defined = BASE_NAMES | {rule.name for rule in policy.API_RULES}
    for rule in policy.list_rules():
        # oslo.policy turns a check string it cannot parse into "deny" (FalseCheck), silently.
        parsed = _parser.parse_rule(rule.check_str)
        assert rule.check_str == policy.NOBODY or not isinstance(parsed, _checks.FalseCheck), (
            '%s: %r does not parse' % (rule.name, rule.check_str))
        for referenced in re.findall(r'rule:([\w:-]+)', rule.check_str):
            assert referenced in defined, '%s refers to undefined rule %s' % (rule.name, referenced)


def test_api_rules_are_documented_project_scoped_operations_on_served_paths():
    # A rule documents the (method, path) it governs; the path must be one we serve.
    def shape(path):
        return re.sub(r'\{[^}]+\}', '{}', path.split(' (')[0].rstrip('/'))
    served = {(method, shape(path)) for path, methods in router.ROUTES for method in methods}
    for rule in policy.API_RULES:
        assert isinstance(rule, oslo_policy.DocumentedRuleDefault), rule.name
        assert rule.scope_types == ['project'], rule.name
        assert rule.description.strip(), rule.name
        for operation in rule.operations:
            assert (operation['method'], shape(operation['path'])) in served, (
                '%s documents %s %s, which no route serves' % (rule.name, operation['method'],
                                                                operation['path']))


# -- what the defaults mean ----------------------------------------------------------------------

# (roles, project of the caller) -> which of nova's base rules it passes on a resource of p1.
ROLE_CASES = [
    ('reader of p1', ['reader'], 'p1', {'project_reader_or_admin'}),
    ('member of p1', ['member', 'reader'], 'p1', {'project_reader_or_admin', 'project_member_or_admin'}),
    ('manager of p1', ['manager', 'member', 'reader'], 'p1',
     {'project_reader_or_admin', 'project_member_or_admin', 'project_manager_or_admin'}),
    ('admin of p2', ['admin', 'member', 'reader'], 'p2',
     {'project_reader_or_admin', 'project_member_or_admin', 'project_manager_or_admin', 'context_is_admin',
      'admin_api'}),
    ('member of p2', ['member', 'reader'], 'p2', set()),
    ('no role in p1', [], 'p1', set()),
    ('unknown role in p1', ['observer'], 'p1', set()),
]
CHECKED = ['project_reader_or_admin', 'project_member_or_admin', 'project_manager_or_admin', 'context_is_admin',
           'admin_api']


@pytest.mark.parametrize('label,roles,project,expected', ROLE_CASES, ids=[c[0] for c in ROLE_CASES])
def test_base_rules_follow_novas_roles(tmp_path, label, roles, project, expected):
    enforcer, _ = make_enforcer(tmp_path)
    context = ctx(project, roles)
    assert {rule for rule in CHECKED if allowed(enforcer, rule, context)} == expected


def test_any_rule_admits_every_authenticated_caller(tmp_path):
    enforcer, _ = make_enforcer(tmp_path)
    assert allowed(enforcer, 'os_compute_api:flavors', ctx('p2', []))


def test_is_admin_is_the_context_is_admin_rule(tmp_path):
    enforcer, _ = make_enforcer(tmp_path, {'context_is_admin': 'role:cloud-admin'})
    assert policy.is_admin(enforcer, ctx(roles=['cloud-admin']))
    assert not policy.is_admin(enforcer, ctx(roles=['admin']))


def test_unregistered_rule_is_an_error_not_an_allow(tmp_path):
    enforcer, _ = make_enforcer(tmp_path)
    with pytest.raises(oslo_policy.PolicyNotRegistered):
        policy.authorize(enforcer, ctx(roles=['admin']), 'os_compute_api:no-such-rule')


def test_default_target_is_the_callers_own_project(tmp_path):
    enforcer, _ = make_enforcer(tmp_path, {'os_compute_api:flavors': 'rule:project_member_or_admin'})
    policy.authorize(enforcer, ctx('p9', ['member']), 'os_compute_api:flavors')
    with pytest.raises(exception.PolicyNotAuthorized, match="Policy doesn't allow os_compute_api:flavors"):
        policy.authorize(enforcer, ctx('p9', ['reader']), 'os_compute_api:flavors')


# -- policy.yaml overrides ---------------------------------------------------------------------------

def test_policy_file_overrides_a_rule_and_is_reread_within_a_second_of_a_change(tmp_path):
    enforcer, policy_file = make_enforcer(tmp_path, {'os_compute_api:flavors': 'role:admin'})
    member = ctx(roles=['member', 'reader'])
    assert not allowed(enforcer, 'os_compute_api:flavors', member)
    assert allowed(enforcer, 'os_compute_api:flavors', ctx(roles=['admin']))
    time.sleep(0.01)
    policy_file.write_text('"os_compute_api:flavors": "role:member"\n')
    os.utime(policy_file, (time.time() + 5, time.time() + 5))  # a new mtime whatever the clock
    # Changes are looked for at most once per RELOAD_INTERVAL (a per-request cost otherwise).
    time.sleep(policy.Enforcer.RELOAD_INTERVAL)
    assert allowed(enforcer, 'os_compute_api:flavors', member)


def test_overriding_a_base_rule_changes_every_rule_built_on_it(tmp_path):
    enforcer, _ = make_enforcer(tmp_path, {'project_reader_api': 'role:auditor and project_id:%(project_id)s'})
    assert allowed(enforcer, 'project_reader_or_admin', ctx(roles=['auditor']))
    assert not allowed(enforcer, 'project_reader_or_admin', ctx(roles=['reader']))


# -- the oslopolicy-* tools, through the entry points setup.cfg declares --------------------------

def _tool(name, *args, env=None):
    path = os.path.join(os.path.dirname(sys.executable), name)
    assert os.path.exists(path), '%s is not installed beside %s' % (name, sys.executable)
    return subprocess.run([path, *args], capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
                          env=dict(os.environ, **(env or {})))


def test_installed_entry_points_are_the_ones_in_setup_cfg():
    # The tools find us through the installed metadata; stale metadata would test nothing.
    import importlib.metadata
    setup_cfg = open(os.path.join(REPO_ROOT, 'setup.cfg')).read()
    for group in ('oslo.policy.policies', 'oslo.policy.enforcer', 'oslo.config.opts'):
        declared = re.search(r'^%s =\n((?:    .+\n)+)' % re.escape(group), setup_cfg, re.M)
        assert declared, group
        installed = {ep.name: ep.value for ep in importlib.metadata.entry_points(group=group)}
        for line in declared.group(1).splitlines():
            name, value = [part.strip() for part in line.split('=')]
            assert installed.get(name) == value, '%s %s: run pip install -e .' % (group, name)


def test_sample_generator_lists_every_rule():
    done = _tool('oslopolicy-sample-generator', '--namespace', 'compute_api')
    assert done.returncode == 0, done.stderr
    for rule in policy.list_rules():
        assert '#"%s": "%s"' % (rule.name, rule.check_str) in done.stdout


def test_policy_generator_merges_the_hosts_policy_file(tmp_path):
    # get_enforcer() reads compute-api.conf from the standard places (here ~/.compute-api/).
    override = tmp_path / 'override.yaml'
    override.write_text('"os_compute_api:flavors": "role:admin"\n')
    (tmp_path / '.compute-api').mkdir()
    (tmp_path / '.compute-api' / 'compute-api.conf').write_text('[oslo_policy]\npolicy_file = %s\n' % override)
    done = _tool('oslopolicy-policy-generator', '--namespace', 'compute_api', env={'HOME': str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert '"os_compute_api:flavors": "role:admin"' in done.stdout
    assert '"os_compute_api:extensions": "@"' in done.stdout


def test_policy_checker_evaluates_the_rules_for_a_token(tmp_path):
    effective = tmp_path / 'policy.yaml'
    done = _tool('oslopolicy-policy-generator', '--namespace', 'compute_api', '--output-file', str(effective),
                 env={'HOME': str(tmp_path)})
    assert done.returncode == 0, done.stderr
    access = tmp_path / 'access.json'
    access.write_text(json.dumps({'token': {
        'user': {'id': 'u1', 'domain': {'id': 'default'}}, 'project': {'id': 'p1', 'domain': {'id': 'default'}},
        'roles': [{'name': 'member'}, {'name': 'reader'}]}}))
    results = {}
    for rule in ('project_member_or_admin', 'context_is_admin', 'os_compute_api:flavors'):
        done = _tool('oslopolicy-checker', '--policy', str(effective), '--access', str(access), '--rule', rule)
        assert done.returncode == 0, done.stderr
        results[rule] = done.stdout.strip()
    assert results == {'project_member_or_admin': 'passed: project_member_or_admin',
                       'context_is_admin': 'failed: context_is_admin',
                       'os_compute_api:flavors': 'passed: os_compute_api:flavors'}


# -- the hot path ------------------------------------------------------------------------------------

def test_policy_file_is_parsed_once_not_per_check(tmp_path):
    # Checks reuse the parsed rules; the file is parsed again only once its mtime changed (and
    # the enforcer looked again, at most once per RELOAD_INTERVAL).
    enforcer, policy_file = make_enforcer(tmp_path, {'os_compute_api:flavors': 'role:reader'})
    member = ctx(roles=['member', 'reader'])
    policy.authorize(enforcer, member, 'os_compute_api:flavors')
    parsed = enforcer.rules
    for _ in range(100):
        policy.authorize(enforcer, member, 'os_compute_api:flavors')
        policy.authorize(enforcer, member, 'project_member_or_admin')
    assert enforcer.rules is parsed
    os.utime(policy_file, (time.time() + 5, time.time() + 5))
    time.sleep(policy.Enforcer.RELOAD_INTERVAL)
    policy.authorize(enforcer, member, 'os_compute_api:flavors')
    assert enforcer.rules is not parsed


# -- remembered verdicts ------------------------------------------------------------------------------

def test_verdicts_follow_the_target_and_the_credentials(tmp_path):
    enforcer, _ = make_enforcer(tmp_path)
    for _ in range(2):  # the second round answers from remembered verdicts
        assert allowed(enforcer, 'os_compute_api:servers:show', ctx('p1', ['reader']), owner='p1')
        assert not allowed(enforcer, 'os_compute_api:servers:show', ctx('p1', ['reader']), owner='p2')
        assert not allowed(enforcer, 'os_compute_api:servers:show', ctx('p2', ['reader']), owner='p1')
        assert allowed(enforcer, 'os_compute_api:servers:show', ctx('p2', ['admin']), owner='p1')


def test_rules_with_a_check_that_is_not_pure_are_evaluated_every_time(tmp_path, monkeypatch):
    # e.g. an http: check asks a remote service; any check class but oslo's pure ones counts.
    calls = []

    class CountingCheck(_checks.Check):
        def __call__(self, target, creds, enforcer):
            calls.append(self.match)
            return len(calls) % 2 == 1

    monkeypatch.setitem(_checks.registered_checks, 'counting', CountingCheck)
    enforcer, _ = make_enforcer(tmp_path, {'os_compute_api:flavors': 'counting:x'})
    verdicts = [allowed(enforcer, 'os_compute_api:flavors', ctx(roles=['reader'])) for _ in range(4)]
    assert verdicts == [True, False, True, False]
    assert len(calls) == 4


def test_verdicts_outlive_a_look_that_finds_the_rules_unchanged(tmp_path, monkeypatch):
    enforcer, policy_file = make_enforcer(tmp_path, {'os_compute_api:flavors': 'role:reader'})
    evaluations = []
    evaluate = enforcer.enforce
    monkeypatch.setattr(enforcer, 'enforce', lambda *args, **kwargs: evaluations.append(args[0]) or evaluate(
        *args, **kwargs))
    reader = ctx(roles=['reader'])
    assert allowed(enforcer, 'os_compute_api:flavors', reader)
    time.sleep(policy.Enforcer.RELOAD_INTERVAL)  # the enforcer looks again, and finds nothing new
    assert allowed(enforcer, 'os_compute_api:flavors', reader)
    assert evaluations == ['os_compute_api:flavors']
    policy_file.write_text('"os_compute_api:flavors": "role:admin"\n')
    os.utime(policy_file, (time.time() + 5, time.time() + 5))
    time.sleep(policy.Enforcer.RELOAD_INTERVAL)
    assert not allowed(enforcer, 'os_compute_api:flavors', reader)
    assert evaluations == ['os_compute_api:flavors'] * 2


UNTOUCHED = """
import json
from oslo_policy import _checks
check = _checks._check
from compute_api import conf, context, policy
enforcer = policy.make_enforcer(conf.make_conf([]))
caller = context.RequestContext(user_id='u', project_id='p', roles=['reader'])
verdict = policy.allows(enforcer, caller, 'os_compute_api:servers:index')
# What oslo.policy's own loading of its extension checks (http, https) leaves: their classes.
loaded_by_oslo = all(isinstance(found, type) for found in _checks.get_extensions().values())
print(json.dumps([verdict, _checks._check is check, loaded_by_oslo]))
"""


def test_oslo_policy_is_left_as_it_is_for_its_other_users():
    # The speed-ups live in compute_api's Enforcer: nothing of oslo.policy's is replaced.
    done = subprocess.run([sys.executable, '-c', UNTOUCHED], capture_output=True, text=True, timeout=60,
                          cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True, True, True]


CALLERS = [dict(project_id=project, user_id=user, roles=roles) for project in ('p1', 'p2') for user in ('u1', 'u2')
           for roles in ([], ['reader'], ['member', 'reader'], ['manager', 'member', 'reader'], ['admin'])] + [
    dict(user_id='u1', roles=['admin'], system_scope='all'), dict(user_id='u1', roles=['admin'], domain_id='d1')]
TARGETS = [{'project_id': 'p1', 'user_id': 'u1'}, {'project_id': 'p1', 'user_id': 'u2'}, {'project_id': 'p2'}]
# Operators, negation, a reference to no rule and a generic check on the credentials.
OVERRIDES = {'os_compute_api:flavors': 'not role:reader or (role:member and user_id:%(user_id)s)',
             'os_compute_api:limits': 'rule:no_such_rule or project_id:p2',
             'os_compute_api:os-keypairs:index': '(role:admin or role:member) and not project_id:%(project_id)s'}


@pytest.mark.parametrize('overrides', [{}, OVERRIDES], ids=['defaults', 'overrides'])
def test_every_verdict_is_oslo_policys(tmp_path, overrides):
    # The rules compute_api evaluates itself (and remembers) decide as oslo.policy's own Enforcer.
    enforcer, policy_file = make_enforcer(tmp_path, overrides)
    upstream = oslo_policy.Enforcer(enforcer.conf)
    upstream.register_defaults(policy.list_rules())
    for _round in range(2):  # then from remembered verdicts
        for caller in CALLERS:
            context = context_mod.RequestContext(**caller)
            for rule in policy.list_rules():
                for target in TARGETS:
                    assert enforcer.authorize(rule.name, target, context) == bool(
                        upstream.authorize(rule.name, target, context)), (rule.name, caller, target)


def test_set_rules_takes_effect_at_once(tmp_path):
    enforcer, _ = make_enforcer(tmp_path)
    reader = ctx(roles=['reader'])
    assert allowed(enforcer, 'os_compute_api:flavors', reader)
    enforcer.set_rules(oslo_policy.Rules.from_dict({'os_compute_api:flavors': '!'}), overwrite=False)
    assert not allowed(enforcer, 'os_compute_api:flavors', reader)


def test_an_http_rule_finds_its_check_class(tmp_path):
    from oslo_policy import _external
    enforcer, _ = make_enforcer(tmp_path, {'os_compute_api:flavors': 'http://127.0.0.1:9/never'})
    enforcer.load_rules()
    assert isinstance(enforcer.rules['os_compute_api:flavors'], _external.HttpCheck)
