"""The pipeline's own filters: fault wrapper, noauth (development), context, negotiation.

Each is a plain WSGI middleware class taking the next app and what it needs, explicitly.
"""
import json
import logging
import re
import urllib.parse

import webob
import webob.dec

from compute_api import context as context_mod
from compute_api import exception
from compute_api import policy
from compute_api.api import faults
from compute_api.api import microversion
from compute_api.api import wsgi

LOG = logging.getLogger(__name__)

REQUEST_ID_HEADER = 'x-openstack-request-id'

# Identity headers only the auth layer may set; anything a client sends under these names is dropped.
IDENTITY_HEADERS = (
    'X-Identity-Status', 'X-Service-Identity-Status', 'X-Domain-Id', 'X-Domain-Name', 'X-Project-Id',
    'X-Project-Name', 'X-Project-Domain-Id', 'X-Project-Domain-Name', 'X-User-Id', 'X-User-Name',
    'X-User-Domain-Id', 'X-User-Domain-Name', 'X-Roles', 'X-Service-Roles', 'X-Tenant-Id',
    'X-Tenant-Name', 'X-Tenant', 'X-User', 'X-Role', 'X-Is-Admin-Project', 'X-Service-Catalog',
    'X-System-Scope', 'OpenStack-System-Scope', 'X-Service-Token',
)
_IDENTITY_ENVIRON = tuple('HTTP_' + h.upper().replace('-', '_') for h in IDENTITY_HEADERS)


def _is_nova_fault(resp):
    if resp.content_type != 'application/json':
        return False
    try:
        doc = json.loads(resp.body)
    except ValueError:
        return False
    return isinstance(doc, dict) and len(doc) == 1 and next(iter(doc)) in faults.FAULT_NAMES.values()


_MARKUP = re.compile(r'<[^>]*>')
_PARAGRAPH_BREAK = re.compile(r'\n\s*\n')


def _error_detail(resp):
    """The most specific sentence of a third-party error body. webob renders its errors (raised
    by auth_token, sizelimit, ...) as JSON, HTML or text depending on Accept, always as status,
    explanation, then detail; the detail is what the caller needs, whatever the format."""
    reason = resp.status.split(' ', 1)[1] if ' ' in resp.status else resp.status
    try:
        doc = json.loads(resp.body)
        inner = next(iter(doc.values())) if isinstance(doc, dict) and len(doc) == 1 else doc
        text = inner['message'] if isinstance(inner.get('message'), str) else ''
    except (ValueError, StopIteration, AttributeError, TypeError):
        text = resp.text if resp.charset else resp.body.decode('utf-8', 'replace')
    text = _MARKUP.sub('\n\n', text)
    paragraphs = [' '.join(p.split()) for p in _PARAGRAPH_BREAK.split(text)]
    paragraphs = [p for p in paragraphs if p and p != resp.status]
    return paragraphs[-1] if paragraphs else reason


def _url_is_text(environ):
    """PATH_INFO (WSGI's latin-1 string of the raw bytes) and the percent-decoded query string
    are UTF-8 without NUL (which PostgreSQL cannot even compare with)."""
    try:
        path = environ.get('PATH_INFO', '').encode('latin-1').decode('utf-8')
        query = urllib.parse.unquote_to_bytes(environ.get('QUERY_STRING', '')).decode('utf-8')
    except UnicodeError:
        return False
    return '\x00' not in path and '\x00' not in query


class FaultWrapper:
    """Outermost: any uncaught error is a 500 computeFault (logged, no internals); error responses
    from third-party middleware (sizelimit, auth_token, ...) are rewritten into nova's fault shape."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        if not _url_is_text(environ):
            # webob cannot decode such a path or query, or the database cannot hold it.
            return faults.fault_response(400, 'The request URL is not valid UTF-8 text.')(environ, start_response)
        try:
            status, headers, app_iter = req.call_application(self.app)
        except Exception:
            LOG.exception('Uncaught error serving %s %s (request %s)', req.method, req.path,
                          environ.get('openstack.request_id'))
            resp = faults.fault_response(500, faults.GENERIC_500)
        else:
            if int(status[:3]) < 400:
                # Successes pass as they are (no Response object built and serialised again).
                start_response(status, headers)
                return app_iter
            resp = webob.Response(status=status, headerlist=headers, app_iter=app_iter)
            if not _is_nova_fault(resp):
                resp = self._as_fault(resp)
        request_id = environ.get('openstack.request_id')
        if request_id and REQUEST_ID_HEADER not in resp.headers:
            resp.headers[REQUEST_ID_HEADER] = request_id
        return resp(environ, start_response)

    @staticmethod
    def _as_fault(resp):
        message = _error_detail(resp)
        status = resp.status_int
        if status == 500:
            message = faults.GENERIC_500
        fault = faults.fault_response(status, message)
        for name in ('WWW-Authenticate', 'Retry-After', 'Allow', 'Location'):
            if name in resp.headers:
                fault.headers[name] = resp.headers[name]
        return fault


class NoAuth:
    """Development-only auth: X-Auth-Token "user:project" (or "user", meaning project = user).

    User "admin" is an admin. Sets the same identity headers keystonemiddleware would, after
    dropping any the client sent.
    """

    def __init__(self, app, roles):
        self.app = app
        self.roles = list(roles)

    def __call__(self, environ, start_response):
        for key in _IDENTITY_ENVIRON:
            environ.pop(key, None)
        token = environ.get('HTTP_X_AUTH_TOKEN', '').strip()
        if not token:
            resp = faults.fault_response(401, 'Authentication required',
                                         headers={'WWW-Authenticate': 'X-Auth-Token'})
            return resp(environ, start_response)
        user_id, _sep, project_id = token.partition(':')
        roles = list(self.roles)
        if user_id == 'admin':  # nothing secret: noauth's admin is whoever says so
            roles = ['admin'] + [r for r in roles if r != 'admin']
        environ['HTTP_X_USER_ID'] = user_id
        environ['HTTP_X_PROJECT_ID'] = project_id or user_id
        environ['HTTP_X_ROLES'] = ','.join(roles)
        environ['HTTP_X_IDENTITY_STATUS'] = 'Confirmed'
        return self.app(environ, start_response)


class KeystoneAuth:
    """keystonemiddleware's auth_token configured from [keystone_authtoken] of `conf`, with every
    failure to reach Keystone a 503: auth_token answers 503 for refused connections itself but
    lets a timeout (keystoneauth's ConnectTimeout) escape, which would be a 500."""

    def __init__(self, app, conf):
        # Imported only here: keystonemiddleware and the clients it brings cost a noauth process
        # ~20 MB for nothing.
        from keystoneauth1 import exceptions as ksa_exceptions
        from keystonemiddleware import auth_token
        self.connection_error = ksa_exceptions.ConnectionError
        # oslo_config_config: options come from the service's ConfigOpts (it wins over any
        # oslo_config_project); auth_token registers its options and its auth plugin's on it.
        self.auth_token = auth_token.AuthProtocol(app, {'oslo_config_config': conf})

    def __call__(self, environ, start_response):
        try:
            return self.auth_token(environ, start_response)
        except self.connection_error as exc:
            LOG.error('Cannot reach Keystone to validate a token: %s', exc)
            resp = faults.fault_response(503, 'The Keystone service is temporarily unavailable.')
            return resp(environ, start_response)


class ContextMiddleware:
    """Builds the RequestContext from the identity headers the auth layer validated.

    The auth layer (noauth, or keystonemiddleware's auth_token) drops every identity header a
    client sent and sets its own; anything but X-Identity-Status: Confirmed is a 401. Every API
    is project-scoped, as nova's: a valid token without a project (unscoped, domain- or
    system-scoped) is refused here, before a missing project could match a missing target.
    context.is_admin is the verdict of the context_is_admin policy rule, as in nova.
    """

    def __init__(self, app, enforcer):
        self.app = app
        self.enforcer = enforcer

    def __call__(self, environ, start_response):
        if environ.get('HTTP_X_IDENTITY_STATUS') != 'Confirmed':
            resp = faults.fault_response(401, 'Authentication required')
            return resp(environ, start_response)
        project_id = environ.get('HTTP_X_PROJECT_ID')
        if not project_id:
            resp = faults.fault_response(403, 'This API needs a project-scoped token.')
            return resp(environ, start_response)
        roles = [r.strip() for r in (environ.get('HTTP_X_ROLES') or '').split(',') if r.strip()]
        context = context_mod.RequestContext(
            user_id=environ.get('HTTP_X_USER_ID'),
            project_id=project_id,
            user_name=environ.get('HTTP_X_USER_NAME'),
            project_name=environ.get('HTTP_X_PROJECT_NAME'),
            roles=roles,
            auth_token=environ.get('HTTP_X_AUTH_TOKEN'),
            request_id=environ.get('openstack.request_id'),
            overwrite=False,
        )
        context.is_admin = policy.is_admin(self.enforcer, context)
        environ[wsgi.ENV_CONTEXT] = context
        return self.app(environ, start_response)


JSON_TYPES = ('application/json', 'application/vnd.openstack.compute+json')
_JSON_RANGES = JSON_TYPES + ('*/*', 'application/*')


def _accepts_json(accept):
    """Whether an Accept header allows JSON. Media-type parameters other than q (nova's
    version=2, say) do not narrow the match."""
    for item in accept.split(','):
        media_type, *params = [part.strip() for part in item.split(';')]
        if media_type.lower() not in _JSON_RANGES:
            continue
        quality = 1.0
        for param in params:
            name, _sep, value = param.partition('=')
            if name.strip().lower() == 'q':
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            return True
    return False
_BODY_TYPES_AS_JSON = ('', 'text/plain') + JSON_TYPES


def _echoing(start_response, version):
    """start_response adding nova's echo of `version` and its two Vary lines."""
    extra = list(microversion.response_headers(version).items()) + [('Vary', name) for name in microversion.VARY]

    def versioned_start_response(status, headers, exc_info=None):
        return start_response(status, list(headers) + extra, exc_info)
    return versioned_start_response


class Negotiation:
    """Response format (exact .json suffix, Accept), request body type, and on /v2.1 the
    microversion: parsed from the request, echoed with Vary on every response below."""

    def __init__(self, app, legacy_v2):
        self.app = app
        self.legacy_v2 = legacy_v2

    def __call__(self, environ, start_response):
        environ[wsgi.ENV_LEGACY_V2] = self.legacy_v2
        try:
            version = self._negotiate(environ)
        except microversion.VersionNotSupported as exc:
            fault = faults.from_exception(exc, self.legacy_v2)
            return fault(environ, _echoing(start_response, exc.version))
        except exception.ComputeError as exc:
            return faults.from_exception(exc, self.legacy_v2)(environ, start_response)
        if version is None:
            for key in ('HTTP_X_OPENSTACK_NOVA_API_VERSION', 'HTTP_OPENSTACK_API_VERSION'):
                environ.pop(key, None)
            return self.app(environ, start_response)
        environ[wsgi.ENV_VERSION] = version
        return self.app(environ, _echoing(start_response, version))

    def _negotiate(self, environ):
        path = environ.get('PATH_INFO', '')
        if path.endswith('.json'):
            environ['PATH_INFO'] = path[:-5]
        elif environ.get('HTTP_ACCEPT') and not _accepts_json(environ['HTTP_ACCEPT']):
            raise exception.NotAcceptable('Only application/json is served; Accept allows none of it.')
        if environ.get('CONTENT_LENGTH') not in (None, '', '0') or environ.get('HTTP_TRANSFER_ENCODING'):
            content_type = environ.get('CONTENT_TYPE', '').split(';', 1)[0].strip().lower()
            if content_type not in _BODY_TYPES_AS_JSON:
                raise exception.UnsupportedContentType()
        if self.legacy_v2:
            return None
        return microversion.from_headers(webob.Request(environ).headers)
