"""Remote consoles through the API: the os-get*Console actions (2.1-2.5 and /v2), POST
/servers/{id}/remote-consoles (2.6, mks from 2.8), the tokens they hand out (stored as a hash,
expiring, deleted with their server) and GET /os-console-auth-tokens/{token} (2.31, /v2)."""
import datetime
import hashlib
import threading
import urllib.parse
import uuid

import pytest
import sqlalchemy as sa

from compute_api.api import microversion
from compute_api.db import models

IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
BARE_404 = {'itemNotFound': {'code': 404, 'message': 'The resource could not be found.'}}
BARE_400 = {'badRequest': {'code': 400, 'message': 'The server could not comply with the request since it is '
                                                   'either malformed or otherwise incorrect.'}}


@pytest.fixture
def newer_versions(monkeypatch):
    """The API's maximum raised to 2.31, so that the versions after today's maximum can be asked for."""
    monkeypatch.setattr(microversion, 'MAX_VERSION', microversion.APIVersion(2, 31))


def boot(client, services, prefix='/v2.1'):
    body = {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'}}
    server_id = client.post(prefix + '/servers', body, status=202).json['server']['id']
    services.tasks.wait()
    return server_id


def act(client, server_id, body, status=200, prefix='/v2.1', version=None):
    headers = {'X-OpenStack-Nova-API-Version': version} if version else None
    return client.post('%s/servers/%s/action' % (prefix, server_id), body, status=status, headers=headers)


def remote_console(client, server_id, protocol, console_type, status=200, version='2.6', prefix='/v2.1'):
    return client.post('%s/servers/%s/remote-consoles' % (prefix, server_id),
                       {'remote_console': {'protocol': protocol, 'type': console_type}}, status=status,
                       headers={'X-OpenStack-Nova-API-Version': version} if version else None)


def token_of(url):
    """The token of a console URL (noVNC's inside its `path` query)."""
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    if 'path' in query:
        query = urllib.parse.parse_qs(urllib.parse.urlparse(query['path'][0]).query)
    return query['token'][0]


def show_token(client, token, status=200, version='2.31', prefix='/v2.1'):
    return client.get('%s/os-console-auth-tokens/%s' % (prefix, token), status=status,
                      headers={'X-OpenStack-Nova-API-Version': version} if version else None)


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_vnc_console_action_gives_a_novnc_url_with_a_new_token(client, services, prefix):
    server_id = boot(client, services, prefix)
    first = act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}, prefix=prefix).json['console']
    second = act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}, prefix=prefix).json['console']
    assert first['type'] == 'novnc'
    base, query = first['url'].split('?')
    assert base == 'http://127.0.0.1:6080/vnc_auto.html'
    token = token_of(first['url'])
    assert query == 'path=%3Ftoken%3D' + token  # noVNC 1.1+ opens the websocket on `path`
    uuid.UUID(token)
    assert token != token_of(second['url'])


def test_console_urls_follow_the_base_url_options(client, services, conf):
    conf.set_override('novncproxy_base_url', 'https://consoles.example.org/vnc_lite.html?path=vnc', group='vnc')
    conf.set_override('enabled', True, group='spice')
    conf.set_override('enabled', True, group='serial_console')
    server_id = boot(client, services)
    url = act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}).json['console']['url']
    token = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)['path'][0].split('?token=')[1]
    assert url == 'https://consoles.example.org/vnc_lite.html?path=vnc%3Ftoken%3D' + token
    spice = act(client, server_id, {'os-getSPICEConsole': {'type': 'spice-html5'}}).json['console']
    assert spice['type'] == 'spice-html5'
    assert spice['url'] == 'http://127.0.0.1:6082/spice_auto.html?token=' + token_of(spice['url'])
    serial = act(client, server_id, {'os-getSerialConsole': {'type': 'serial'}}).json['console']
    assert serial == {'type': 'serial', 'url': 'ws://127.0.0.1:6083/?token=' + token_of(serial['url'])}


@pytest.mark.parametrize('action,console_type,group', [
    ('os-getVNCConsole', 'novnc', 'vnc'),
    ('os-getSPICEConsole', 'spice-html5', 'spice'),
    ('os-getSerialConsole', 'serial', 'serial_console'),
])
def test_a_disabled_console_type_is_novas_400(client, services, conf, action, console_type, group):
    conf.set_override('enabled', False, group=group)
    server_id = boot(client, services)
    resp = act(client, server_id, {action: {'type': console_type}}, status=400)
    assert resp.json == {'badRequest': {'code': 400, 'message': 'Unavailable console type %s.' % console_type}}


def test_console_action_bodies_are_validated(client, services):
    server_id = boot(client, services)
    assert act(client, server_id, {'os-getVNCConsole': {'type': 'xvpvnc'}}, status=400).json == {
        'badRequest': {'code': 400, 'message': 'Invalid console type xvpvnc'}}
    for body in ({'os-getVNCConsole': {}}, {'os-getVNCConsole': {'type': 'spice-html5'}},
                 {'os-getVNCConsole': {'type': 'novnc', 'extra': 1}}, {'os-getSerialConsole': None}):
        assert 'badRequest' in act(client, server_id, body, status=400).json
    with services.store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(models.console_auth_tokens)).scalar() == 0


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_rdp_console_action_is_novas_bare_400(client, services, prefix):
    server_id = boot(client, services)
    assert act(client, server_id, {'os-getRDPConsole': {'type': 'rdp-html5'}}, status=400,
               prefix=prefix).json == BARE_400


def test_consoles_of_servers_the_caller_cannot_reach(client, services, app):
    from tests.conftest import Client
    server_id = boot(client, services)
    other = Client(app, 'someone', 'elsewhere')
    assert act(other, server_id, {'os-getVNCConsole': {'type': 'novnc'}}, status=404).json == {
        'itemNotFound': {'code': 404, 'message': 'Instance %s could not be found.' % server_id}}


def test_a_server_without_a_host_is_not_ready(client, services, monkeypatch):
    monkeypatch.setattr(services.tasks, 'submit', lambda fn, *args: None)  # the build never starts
    body = {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1'}}
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    assert act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}, status=409).json == {
        'conflictingRequest': {'code': 409, 'message': 'Instance %s is not ready' % server_id}}


def test_a_server_being_deleted_has_no_console(client, services, monkeypatch):
    server_id = boot(client, services)
    monkeypatch.setattr(services.tasks, 'submit', lambda fn, *args: None)  # the delete stays in flight
    client.delete('/v2.1/servers/%s' % server_id)
    assert act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}, status=409).json == {
        'conflictingRequest': {'code': 409, 'message': "Cannot 'get_vnc_console' instance %s while it is in "
                                                       "task_state deleting" % server_id}}


def test_a_console_the_driver_fails_to_read_is_unavailable(client, services):
    body = {'server': {'name': 'vm', 'imageRef': IMAGE, 'flavorRef': '1', 'metadata': {'fake:fail': 'get_console'}}}
    server_id = client.post('/v2.1/servers', body, status=202).json['server']['id']
    services.tasks.wait()
    assert act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}, status=400).json == {
        'badRequest': {'code': 400, 'message': 'Unavailable console type vnc.'}}


def test_tokens_are_stored_as_their_sha256_only(client, services):
    server_id = boot(client, services)
    token = token_of(act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}).json['console']['url'])
    with services.store.read() as conn:
        (row,) = conn.execute(sa.select(models.console_auth_tokens)).mappings().all()
    assert row['token_hash'] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(value) for value in row.values()}
    assert (row['instance_uuid'], row['console_type'], row['host'], row['port']) == (
        server_id, 'novnc', '127.0.0.1', 6969)
    assert row['access_url_base'] == 'http://127.0.0.1:6080/vnc_auto.html'
    assert (row['expires'] - row['created_at']).total_seconds() == 600


# -- the microversions ---------------------------------------------------------------------------

def test_console_actions_end_at_2_6_where_remote_consoles_begin(client, services, newer_versions):
    server_id = boot(client, services)
    for action, console_type in (('os-getVNCConsole', 'novnc'), ('os-getRDPConsole', 'rdp-html5')):
        assert act(client, server_id, {action: {'type': console_type}}, status=404, version='2.6').json == BARE_404
    act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}, version='2.5')
    assert remote_console(client, server_id, 'vnc', 'novnc', status=404, version='2.5').json == BARE_404
    assert remote_console(client, server_id, 'vnc', 'novnc', status=404, version=None,
                          prefix='/v2/demo').json == BARE_404
    answer = remote_console(client, server_id, 'vnc', 'novnc').json['remote_console']
    assert (answer['protocol'], answer['type']) == ('vnc', 'novnc')
    assert answer['url'].startswith('http://127.0.0.1:6080/vnc_auto.html?path=%3Ftoken%3D')


def test_remote_consoles_refusals(client, services, conf, newer_versions):
    server_id = boot(client, services)
    assert remote_console(client, server_id, 'rdp', 'rdp-html5', status=400).json == {
        'badRequest': {'code': 400, 'message': 'Unavailable console type rdp.'}}
    assert remote_console(client, server_id, 'spice', 'spice-html5', status=400).json == {
        'badRequest': {'code': 400, 'message': 'Unavailable console type spice-html5.'}}
    assert remote_console(client, server_id, 'vnc', 'serial', status=400).json == {
        'badRequest': {'code': 400, 'message': 'Invalid console type serial'}}
    # mks/webmks only from 2.8, and no driver here serves it: nova's 501.
    assert 'badRequest' in remote_console(client, server_id, 'mks', 'webmks', status=400, version='2.7').json
    assert remote_console(client, server_id, 'mks', 'webmks', status=501, version='2.8').json == {
        'notImplemented': {'code': 501, 'message': 'The requested functionality is not supported.'}}
    conf.set_override('enabled', True, group='serial_console')
    serial = remote_console(client, server_id, 'serial', 'serial').json['remote_console']
    assert serial['url'].startswith('ws://127.0.0.1:6083/?token=')


def test_console_auth_tokens_resolve_to_the_console(client, admin, services, newer_versions):
    server_id = boot(client, services)
    token = token_of(remote_console(client, server_id, 'vnc', 'novnc').json['remote_console']['url'])
    expected = {'console': {'instance_uuid': server_id, 'host': '127.0.0.1', 'port': 6969,
                            'internal_access_path': None}}
    assert show_token(admin, token).json == expected
    assert show_token(admin, token, version=None, prefix='/v2/admin').json == expected
    # Before 2.31 nova answers 400 whatever the token (only RDP's were shown, and RDP is gone).
    assert show_token(admin, token, status=400, version='2.30').json == BARE_400
    assert show_token(admin, token, status=400, version=None).json == BARE_400
    assert show_token(admin, str(uuid.uuid4()), status=404).json == {
        'itemNotFound': {'code': 404, 'message': 'Token not found'}}
    assert show_token(client, token, status=403).json == {'forbidden': {
        'code': 403, 'message': "Policy doesn't allow os_compute_api:os-console-auth-tokens to be performed."}}


def test_expired_tokens_are_not_found(client, admin, services, conf, newer_versions):
    conf.set_override('token_ttl', 0, group='consoleauth')
    server_id = boot(client, services)
    token = token_of(act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}).json['console']['url'])
    show_token(admin, token, status=404)
    act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}})
    with services.store.read() as conn:  # a new token sweeps its server's expired ones
        assert conn.execute(sa.select(sa.func.count()).select_from(models.console_auth_tokens)).scalar() == 1


def test_deleting_a_server_deletes_its_tokens(client, admin, services, newer_versions):
    server_id, other_id = boot(client, services), boot(client, services)
    token = token_of(act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}).json['console']['url'])
    kept = token_of(act(client, other_id, {'os-getVNCConsole': {'type': 'novnc'}}).json['console']['url'])
    show_token(admin, token)
    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    show_token(admin, token, status=404)
    show_token(admin, kept)
    with services.store.read() as conn:
        rows = conn.execute(sa.select(models.console_auth_tokens.c.instance_uuid)).scalars().all()
    assert rows == [other_id]


def test_parallel_consoles_and_a_delete_leave_no_token_of_the_deleted_server(client, admin, services,
                                                                             newer_versions):
    """Tokens issued while their server is being deleted: each issue succeeds or is a 404/409,
    and afterwards none resolves (whether the delete's sweep saw it or not)."""
    from compute_api import context as context_mod
    from compute_api import exception
    from compute_api.compute import consoles
    from compute_api.compute import servers as compute_servers
    server_id = boot(client, services)
    context = context_mod.RequestContext(user_id='demo', project_id='demo', roles=['member'])
    instance = compute_servers.get_instance(services.store, context, server_id)
    barrier = threading.Barrier(9)
    urls, refusals = [], []

    def issue():
        barrier.wait()
        for _ in range(5):
            try:
                urls.append(consoles.get_console_url(services, instance, 'vnc', 'novnc'))
            except (exception.InstanceNotFound, exception.Conflict) as exc:
                refusals.append(exc)

    def delete():
        barrier.wait()
        client.delete('/v2.1/servers/%s' % server_id)
        services.tasks.wait()
    threads = [threading.Thread(target=issue) for _ in range(8)] + [threading.Thread(target=delete)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(urls) + len(refusals) == 40
    for url in urls:
        show_token(admin, token_of(url), status=404)


def test_a_token_written_after_its_servers_delete_never_resolves(client, admin, services, newer_versions):
    from compute_api.compute import consoles
    from compute_api.db import console_auth_tokens as db_tokens
    server_id = boot(client, services)
    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    services.store.transact(db_tokens.create, {  # as an issue that read the server just before its delete
        'token_hash': consoles.token_hash('late-token'), 'instance_uuid': server_id, 'console_type': 'novnc',
        'host': '127.0.0.1', 'port': 5900, 'internal_access_path': None, 'access_url_base': 'http://x/',
        'expires': now + datetime.timedelta(minutes=10)}, now)
    show_token(admin, 'late-token', status=404)
