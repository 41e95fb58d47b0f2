"""The console proxy (nova's novncproxy): a websocket from a browser or client, relayed to the
TCP console a token leads to.

websockify does the websocket side and the relay, in a process per connection. Before the
upgrade, the request's token (the `token` query parameter, as noVNC sends it from the `path` of
the URL handed out; or that URL's own `path`) must be a valid one of console_auth_tokens, and an
Origin header, when a browser sends one, must name this host or one of [console]
allowed_origins. Anything else is refused with a 403 and the reason logged; no token is ever
logged.
"""
import logging
import re
import urllib.parse

from websockify import websocketproxy

from compute_api import exception
from compute_api.compute import consoles

LOG = logging.getLogger(__name__)

_TOKEN_IN_TEXT = re.compile(r'(token(?:=|%3D))[^&\s\'"]+', re.IGNORECASE)


def token_from_path(path):
    """The token of a websocket request's path ('' when it has none)."""
    query = urllib.parse.parse_qs(urllib.parse.urlparse(path).query)
    token = query.get('token', [''])[-1]
    if not token and query.get('path'):
        token = urllib.parse.parse_qs(urllib.parse.urlparse(query['path'][-1]).query).get('token', [''])[-1]
    return token


def origin_allowed(origin, host_header, allowed_origins):
    """nova's check: no Origin (not a browser) is fine; else its host must be the one the client
    connected to (Host) or an allowed one."""
    if origin is None:
        return True
    hostname = urllib.parse.urlparse(origin).hostname
    expected = {urllib.parse.urlparse('//' + (host_header or '')).hostname, *allowed_origins}
    return bool(hostname) and hostname in expected


class ConsoleProxyRequestHandler(websocketproxy.ProxyRequestHandler):

    def validate_connection(self):
        """Set the target from the token, or refuse the upgrade."""
        server = self.server
        if not origin_allowed(self.headers.get('Origin'), self.headers.get('Host'), server.allowed_origins):
            self._refuse('Origin header does not match this host')
        try:
            console = consoles.connect_info(server.store, token_from_path(self.path))
        except exception.ConsoleTokenNotFound:
            self._refuse('invalid or expired token')
        LOG.info('%s: console of server %s (%s) at %s:%s', self.client_address[0], console['instance_uuid'],
                 console['console_type'], console['host'], console['port'])
        server.target_host, server.target_port = console['host'], console['port']

    def _refuse(self, reason):
        LOG.info('%s: connection refused: %s', self.client_address[0], reason)
        self.send_error(403, 'Console connection refused: %s' % reason)
        raise server_close()

    def log_message(self, format, *args):
        # websockify logs request paths, which carry the token.
        super().log_message('%s', _TOKEN_IN_TEXT.sub(r'\1***', format % args))


def server_close():
    """The exception that ends a connection quietly (websockify logs only its text, here none)."""
    return websocketproxy.WebSocketProxy.EClose('')


class ConsoleProxy(websocketproxy.WebSocketProxy):
    """websockify's proxy with the store tokens are looked up in."""

    def __init__(self, store, allowed_origins=(), **kwargs):
        self.store = store
        self.allowed_origins = list(allowed_origins)
        super().__init__(RequestHandlerClass=ConsoleProxyRequestHandler, **kwargs)

    @staticmethod
    def get_logger():
        return LOG
