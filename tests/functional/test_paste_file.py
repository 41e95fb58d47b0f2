"""Which paste file the service loads ([DEFAULT] api_paste_config): an absolute path as given, a
relative one beside the config file, else the one shipped in the package (compute_api/etc/, found
through importlib.resources from any kind of install)."""
import importlib.resources

import pytest
import webtest

from compute_api import conf as conf_mod
from compute_api import runtime as services_mod
from compute_api.api import deploy

SHIPPED = (importlib.resources.files('compute_api') / 'etc' / 'api-paste.ini').read_text()
# The shipped pipeline without its healthcheck filter: GET /healthcheck tells which file was loaded
# (200 from the filter, or 300 Multiple Choices for an unversioned path without it).
WITHOUT_HEALTHCHECK = SHIPPED.replace(' healthcheck ', ' ')


@pytest.fixture
def serve(tmp_path, database_url, store):
    started = []

    def serve(config_text=''):
        config_file = tmp_path / 'etc' / 'compute-api.conf'
        config_file.parent.mkdir(exist_ok=True)
        config_file.write_text('[DEFAULT]\nstate_path = %s\n%s\n[database]\nconnection = %s\nauto_sync = false\n'
                               % (tmp_path, config_text, database_url))
        conf = conf_mod.make_conf(['--config-file', str(config_file)])
        services = services_mod.build(conf, store=store)
        started.append(services)
        return webtest.TestApp(deploy.load_app(services))

    yield serve
    for services in started:
        services.stop()


def test_without_a_paste_file_beside_the_config_the_shipped_one_serves(serve):
    app = serve()
    assert app.get('/healthcheck').status_int == 200
    assert app.get('/v2.1/flavors', headers={'X-Auth-Token': 'demo:demo'}).json['flavors']


def test_a_paste_file_beside_the_config_file_wins(serve, tmp_path):
    (tmp_path / 'etc').mkdir()
    (tmp_path / 'etc' / 'api-paste.ini').write_text(WITHOUT_HEALTHCHECK)
    app = serve()
    assert 'choices' in app.get('/healthcheck', status=300).json
    assert app.get('/v2.1/flavors', headers={'X-Auth-Token': 'demo:demo'}).json['flavors']


def test_an_absolute_api_paste_config_wins(serve, tmp_path):
    (tmp_path / 'etc').mkdir()
    (tmp_path / 'etc' / 'api-paste.ini').write_text(SHIPPED)
    (tmp_path / 'elsewhere.ini').write_text(WITHOUT_HEALTHCHECK)
    app = serve('api_paste_config = %s' % (tmp_path / 'elsewhere.ini'))
    assert 'choices' in app.get('/healthcheck', status=300).json


def test_a_paste_file_found_nowhere_names_where_it_looked(serve, tmp_path):
    with pytest.raises(RuntimeError) as raised:
        serve('api_paste_config = missing.ini')
    message = str(raised.value)
    assert str(tmp_path / 'etc' / 'missing.ini') in message
    assert str(importlib.resources.files('compute_api') / 'etc' / 'missing.ini') in message
