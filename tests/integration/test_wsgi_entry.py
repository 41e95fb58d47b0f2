"""The production entry point, compute_api.wsgi:application under a real gunicorn, refuses to serve
noauth (which takes any token, "admin:x" being an administrator) unless [api] noauth_allow_remote
= true: it cannot know which address it is offered on."""
import subprocess

from tests.integration import rest
from tests.integration import server as server_mod

MESSAGE = 'Refusing to serve noauth under a WSGI server'


def test_gunicorn_exits_with_the_reason_when_noauth_is_not_allowed(tmp_path):
    server = server_mod.GunicornServer(tmp_path / 'state', allow_noauth=False, name='compute-api-wsgi-refused')
    argv, env = server.command()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env, cwd=server.state_dir,
                          stdin=subprocess.DEVNULL)
    assert done.returncode != 0
    assert MESSAGE in done.stderr, done.stderr[-3000:]
    assert 'noauth_allow_remote = true' in done.stderr
    assert not (server.state_dir / 'compute.sqlite').exists()  # refused before touching the store


def test_gunicorn_serves_noauth_when_allowed(tmp_path):
    server = server_mod.GunicornServer(tmp_path / 'state', name='compute-api-wsgi-allowed')
    server.start()
    try:
        resp = rest.request('GET', server.base_url + '/v2.1/servers', headers={'X-Auth-Token': 'admin:admin'})
        assert resp.status == 200, resp.body
        assert resp.json() == {'servers': []}
    finally:
        server.stop()
