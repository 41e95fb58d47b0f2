"""What a server process loads: a noauth server whose schema is at head does without alembic,
keystonemiddleware and eventlet's green DNS resolver (each 8–18 MB per process)."""
import gc
import json
import os
import subprocess
import sys
import weakref

import webtest

from compute_api import runtime
from compute_api.api import deploy

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The development server's start, up to the app (cmd/api.py main() without listening).
START = """
import json, sys
from compute_api.cmd import api
from compute_api import conf as conf_mod
from compute_api import runtime as services_mod
from compute_api.api import deploy
conf = conf_mod.make_conf(['--config-file', sys.argv[1]])
services = services_mod.build(conf)
deploy.load_app(services)
print(json.dumps({name: name in sys.modules for name in ('alembic', 'keystonemiddleware', 'dns')}))
"""


def _start(config):
    path = os.pathsep.join(filter(None, [REPO_ROOT, os.environ.get('PYTHONPATH')]))
    done = subprocess.run([sys.executable, '-c', START, str(config)], capture_output=True, text=True,
                          timeout=60, cwd=REPO_ROOT, env=dict(os.environ, PYTHONPATH=path))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_only_the_first_start_migrates_and_noauth_loads_no_keystone_nor_green_dns(tmp_path):
    config = tmp_path / 'compute-api.conf'
    config.write_text('[DEFAULT]\nstate_path = %s\n[api]\nauth_strategy = noauth\n' % tmp_path)
    assert _start(config) == {'alembic': True, 'keystonemiddleware': False, 'dns': False}
    assert (tmp_path / 'compute.sqlite').exists()
    assert _start(config) == {'alembic': False, 'keystonemiddleware': False, 'dns': False}



def test_a_dropped_application_keeps_nothing_alive(conf, store):
    # Paste factories get the services through the module's registry: only while they run.
    services = runtime.build(conf, store=store)
    app = webtest.TestApp(deploy.load_app(services))
    assert app.get('/v2.1/flavors', headers={'X-Auth-Token': 'demo:demo'}).json['flavors']
    services.stop()
    gone = weakref.ref(services)
    del app, services
    gc.collect()
    assert gone() is None
