"""compute-api-novncproxy for real: the console script in its own process on the test database,
a TCP listener standing in for a guest's VNC server (the fake driver's [fake] vnc_host/vnc_port),
and a websocket client opening the URL the API handed out."""
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

websocket = pytest.importorskip('websocket', reason='websocket-client is not installed')
pytest.importorskip('websockify', reason='websockify is not installed')

from compute_api.compute import consoles  # noqa: E402
from compute_api.db import models  # noqa: E402
from tests.functional.test_remote_consoles import act, boot, token_of  # noqa: E402

GREETING = b'RFB 003.008\n'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class FakeVNCServer:
    """Sends an RFB greeting to each connection, then echoes what it receives."""

    def __init__(self):
        self.sock = socket.create_server(('127.0.0.1', 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()

    @staticmethod
    def _echo(conn):
        with conn:
            conn.sendall(GREETING)
            while data := conn.recv(4096):
                conn.sendall(data)

    def close(self):
        self.sock.close()


@pytest.fixture
def vnc_server(conf):
    server = FakeVNCServer()
    conf.set_override('vnc_port', server.port, group='fake')
    yield server
    server.close()


@pytest.fixture
def proxy(tmp_path, database_url, store):
    """The proxy process (its log in proxy.log); yields its ws:// base URL."""
    port = free_port()
    config = tmp_path / 'proxy.conf'
    config.write_text('[database]\nconnection = %s\n[vnc]\nnovncproxy_host = 127.0.0.1\nnovncproxy_port = %d\n'
                      'web = %s\n' % (database_url, port, tmp_path / 'no-novnc'))
    log_path = tmp_path / 'proxy.log'
    with open(log_path, 'wb') as log:
        process = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), 'compute-api-novncproxy'),
                                    '--config-file', str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(('127.0.0.1', port), timeout=1):
                break
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, 'the proxy never listened: %s' % log_path.read_text()
            time.sleep(0.05)
        yield 'ws://127.0.0.1:%d' % port, log_path
    finally:
        process.terminate()
        process.wait(timeout=30)


def websocket_path(console_url):
    """What noVNC opens: the proxy's root with the `path` query of the console URL."""
    return urllib.parse.parse_qs(urllib.parse.urlparse(console_url).query)['path'][0]


def test_the_proxy_relays_a_token_holders_websocket_to_the_console(client, services, vnc_server, proxy):
    base, log_path = proxy
    server_id = boot(client, services)
    url = act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}).json['console']['url']
    ws = websocket.create_connection(base + '/' + websocket_path(url), subprotocols=['binary'], timeout=10)
    try:
        assert ws.recv() == GREETING
        ws.send_binary(b'\x01\x02 client bytes')
        assert ws.recv() == b'\x01\x02 client bytes'
    finally:
        ws.close()
    # The URL as handed out (its `path` query holding the token) is understood too.
    ws = websocket.create_connection(base + '/?' + urllib.parse.urlparse(url).query, timeout=10)
    try:
        assert ws.recv() == GREETING
    finally:
        ws.close()
    assert vnc_server.connections == 2
    assert token_of(url) not in log_path.read_text()


def test_the_proxy_refuses_bad_tokens_expired_tokens_and_foreign_origins(client, services, vnc_server, proxy):
    base, log_path = proxy
    server_id = boot(client, services)
    url = act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}).json['console']['url']
    expired = act(client, server_id, {'os-getVNCConsole': {'type': 'novnc'}}).json['console']['url']
    tokens = models.console_auth_tokens
    with services.store.write() as conn:  # the second token's time is up
        conn.execute(tokens.update().where(tokens.c.token_hash == consoles.token_hash(token_of(expired)))
                     .values(expires=tokens.c.created_at))
    for path in ('/?token=not-a-token', '/', '/' + websocket_path(expired)):
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(base + path, timeout=10)
        assert refused.value.status_code == 403
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(base + '/' + websocket_path(url), origin='http://evil.example', timeout=10)
    assert vnc_server.connections == 0
    text = log_path.read_text()
    assert 'connection refused: invalid or expired token' in text
    assert 'connection refused: Origin header does not match this host' in text
    assert token_of(url) not in text and token_of(expired) not in text
    # The refused token still works from this host's own origin.
    ws = websocket.create_connection(base + '/' + websocket_path(url), origin=base.replace('ws:', 'http:'),
                                     timeout=10)
    try:
        assert ws.recv() == GREETING
    finally:
        ws.close()
