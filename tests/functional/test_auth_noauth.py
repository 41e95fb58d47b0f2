"""auth_strategy = noauth (development only): what it trusts, what it strips, where it may listen."""
import json
import os
import subprocess
import sys

import pytest
import webtest
from oslo_policy import opts as policy_opts

from compute_api import runtime as services_mod
from compute_api.api import deploy
from tests.functional.test_auth_keystone import SPOOFED

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_no_token_is_401(app):
    resp = app.get('/v2.1/flavors', status=401)
    assert resp.json == {'unauthorized': {'code': 401, 'message': 'Authentication required'}}
    assert resp.headers['WWW-Authenticate'] == 'X-Auth-Token'


def test_spoofed_identity_headers_alone_are_401(app):
    resp = app.get('/v2.1/flavors', headers=SPOOFED, status=401)
    assert resp.json['unauthorized']['code'] == 401


def test_spoofed_identity_headers_beside_a_token_change_nothing(conf, store, tmp_path):
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"os_compute_api:flavors": "role:admin or user_id:mallory"\n')
    policy_opts.set_defaults(conf)
    conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    app = webtest.TestApp(deploy.load_app(services_mod.build(conf, store=store)))
    assert app.get('/v2.1/flavors', headers={'X-Auth-Token': 'admin:admin'}).json['flavors']
    resp = app.get('/v2.1/flavors', headers=dict(SPOOFED, **{'X-Auth-Token': 'demo:demo'}), status=403)
    assert resp.json['forbidden']['message'] == "Policy doesn't allow os_compute_api:flavors to be performed."
    resp = app.get('/v2.1/victim/flavors', headers=dict(SPOOFED, **{'X-Auth-Token': 'demo:demo'}),
                   status=400)
    assert "Context's project_id 'demo'" in resp.json['badRequest']['message']


# -- noauth is refused on anything but loopback ---------------------------------------------------

def _run(code, *args):
    path = os.pathsep.join(filter(None, [REPO_ROOT, os.environ.get('PYTHONPATH')]))
    return subprocess.run([sys.executable, '-c', code, *args], capture_output=True, text=True, timeout=60,
                          cwd=REPO_ROOT, env=dict(os.environ, PYTHONPATH=path))


CHECK_CASES = """
import json, sys
from compute_api import conf as conf_mod
from compute_api.cmd import api
verdicts = {}
for strategy, listen, allow_remote in json.loads(sys.argv[1]):
    conf = conf_mod.make_conf([])
    conf.set_override('auth_strategy', strategy, group='api')
    conf.set_override('osapi_compute_listen', listen)
    conf.set_override('noauth_allow_remote', allow_remote, group='api')
    try:
        api.check_noauth_listen(conf)
        verdicts['%s %s %s' % (strategy, listen, allow_remote)] = 'serves'
    except SystemExit as exc:
        verdicts['%s %s %s' % (strategy, listen, allow_remote)] = str(exc)
print(json.dumps(verdicts))
"""


def test_noauth_listens_only_on_loopback_unless_explicitly_allowed():
    # In a child process: compute_api.cmd.api monkey-patches the interpreter with eventlet.
    cases = [('noauth', '127.0.0.1', False), ('noauth', '::1', False), ('noauth', 'localhost', False),
             ('noauth', '127.0.0.2', False),
             ('noauth', '0.0.0.0', False), ('noauth', '::', False), ('noauth', '192.0.2.10', False),
             ('noauth', 'compute.example.com', False),
             ('noauth', '0.0.0.0', True), ('keystone', '0.0.0.0', False)]
    done = _run(CHECK_CASES, json.dumps(cases))
    assert done.returncode == 0, done.stderr
    verdicts = json.loads(done.stdout)
    served = {case for case, verdict in verdicts.items() if verdict == 'serves'}
    assert served == {'noauth 127.0.0.1 False', 'noauth ::1 False', 'noauth localhost False',
                      'noauth 127.0.0.2 False', 'noauth 0.0.0.0 True', 'keystone 0.0.0.0 False'}
    for case, verdict in verdicts.items():
        if case not in served:
            assert verdict.startswith('Refusing to serve noauth on'), (case, verdict)


@pytest.mark.parametrize('listen', ['0.0.0.0', '::'])
def test_the_server_exits_before_listening_when_noauth_would_be_remote(tmp_path, listen):
    config = tmp_path / 'compute-api.conf'
    config.write_text('[DEFAULT]\nstate_path = %s\nosapi_compute_listen = %s\n'
                      'osapi_compute_listen_port = 1\n[api]\nauth_strategy = noauth\n' % (tmp_path, listen))
    done = _run('import sys; from compute_api.cmd.api import main; sys.exit(main())',
                '--config-file', str(config))
    assert done.returncode != 0
    assert 'Refusing to serve noauth on %s' % listen in done.stderr
    assert not (tmp_path / 'compute.sqlite').exists()  # it stopped before touching anything


# -- the WSGI entry (gunicorn, uwsgi) cannot know its address: noauth only when explicitly allowed ---

WSGI_START = """
import webob
from compute_api import wsgi
resp = webob.Request.blank('/v2.1/servers', headers={'X-Auth-Token': 'admin:admin'}).get_response(wsgi.application)
print(resp.status_int, resp.json)
"""


def _import_wsgi_entry(config):
    path = os.pathsep.join(filter(None, [REPO_ROOT, os.environ.get('PYTHONPATH')]))
    return subprocess.run([sys.executable, '-c', WSGI_START], capture_output=True, text=True, timeout=60,
                          cwd=REPO_ROOT, env=dict(os.environ, PYTHONPATH=path, COMPUTE_API_CONFIG=str(config)))


@pytest.mark.parametrize('api_section', ['', '[api]\nauth_strategy = noauth\n'])
def test_the_wsgi_entry_refuses_noauth_before_touching_anything(tmp_path, api_section):
    config = tmp_path / 'compute-api.conf'
    config.write_text('[DEFAULT]\nstate_path = %s\n%s' % (tmp_path, api_section))
    done = _import_wsgi_entry(config)
    assert done.returncode != 0
    assert 'Refusing to serve noauth under a WSGI server' in done.stderr
    assert not (tmp_path / 'compute.sqlite').exists()


def test_the_wsgi_entry_serves_noauth_when_allowed(tmp_path):
    config = tmp_path / 'compute-api.conf'
    config.write_text('[DEFAULT]\nstate_path = %s\n[api]\nauth_strategy = noauth\nnoauth_allow_remote = true\n'
                      % tmp_path)
    done = _import_wsgi_entry(config)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "200 {'servers': []}"
