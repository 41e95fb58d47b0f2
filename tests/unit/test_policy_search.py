"""The policy file search: a missing policy file is not searched for before every check, and a
policy file that appears later is still found."""
from oslo_policy import opts as policy_opts

from compute_api import conf as conf_mod
from compute_api import context as context_mod
from compute_api import exception
from compute_api import policy

MEMBER = context_mod.RequestContext(user_id='u1', project_id='p1', roles=['member', 'reader'])


def make_enforcer(policy_file):
    conf = conf_mod.make_conf([])
    policy_opts.set_defaults(conf)
    conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    return conf, policy.make_enforcer(conf)


def allowed(enforcer, rule):
    try:
        policy.authorize(enforcer, MEMBER, rule)
        return True
    except exception.PolicyNotAuthorized:
        return False


def test_a_missing_policy_file_is_not_searched_for_on_every_check(tmp_path, monkeypatch):
    conf, enforcer = make_enforcer(tmp_path / 'policy.yaml')
    monkeypatch.setattr(enforcer, 'RELOAD_INTERVAL', 3600)
    searched = []
    find_file = conf.find_file
    monkeypatch.setattr(conf, 'find_file', lambda name: searched.append(name) or find_file(name))
    for _ in range(100):
        assert allowed(enforcer, 'os_compute_api:flavors')
    # Once for the policy file and once for policy.d, not once per check.
    assert sorted(searched) == sorted([str(tmp_path / 'policy.yaml'), 'policy.d'])


def test_a_policy_file_created_later_is_applied_after_the_reload_interval(tmp_path, monkeypatch):
    policy_file = tmp_path / 'policy.yaml'
    _conf, enforcer = make_enforcer(policy_file)
    monkeypatch.setattr(enforcer, 'RELOAD_INTERVAL', 3600)
    assert allowed(enforcer, 'os_compute_api:flavors')
    policy_file.write_text('"os_compute_api:flavors": "role:admin"\n')
    assert allowed(enforcer, 'os_compute_api:flavors')  # not looked for again yet
    monkeypatch.setattr(enforcer, 'RELOAD_INTERVAL', 0)
    assert not allowed(enforcer, 'os_compute_api:flavors')
