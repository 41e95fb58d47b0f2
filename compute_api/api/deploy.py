"""Paste factories and the application loader.

The pipeline (compute_api/etc/api-paste.ini), outermost first — documented here once:

  faultwrap      any uncaught error -> 500 computeFault; third-party error bodies -> nova faults
  request_id     oslo.middleware: x-openstack-request-id on every response
  healthcheck    oslo.middleware: GET /healthcheck for load balancers, no auth
  sizelimit      oslo.middleware: bodies over [oslo_middleware] max_request_body_size -> 413 (before auth)
  proxy_headers  oslo.middleware http_proxy_to_wsgi: honours X-Forwarded-* only when
                 [oslo_middleware] enable_proxy_headers_parsing is true
  urlmap         / -> version list (300 choices elsewhere), /v2 and /v2.1 -> their pipelines,
                 version documents served before auth; media-type versioning for unversioned paths
  then per version ([api] auth_strategy picks the auth step):
  auth           noauth (development) or keystonemiddleware auth_token ([keystone_authtoken])
  context        RequestContext from the validated identity headers
  ratelimit      (v2 only, off unless [api] rate_limit) nova's legacy limits, 429 overLimit
  negotiation    .json suffix, Accept (406), body Content-Type, microversion headers (v2.1)
  router         ROUTES -> handler

Paste passes only strings between factories, so the Services object travels by a key into a
registry held by this module while the factories run (each takes what it needs from it then).
"""
import importlib.resources
import itertools
import os
import re

import webob
import webob.dec
import webob.exc
from oslo_context import context as oslo_context
from oslo_middleware import healthcheck
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id
from oslo_middleware import sizelimit
from paste import deploy as paste_deploy

from compute_api import conf as conf_mod
from compute_api.api import faults
from compute_api.api import middleware
from compute_api.api import ratelimit
from compute_api.api import router
from compute_api.api import versions
from compute_api.api import wsgi

_REGISTRY = {}
_KEYS = itertools.count(1)
SERVICES_KEY = 'compute_api_services'


def load_app(services, paste_file=None):
    """The whole WSGI application described by the paste file, bound to `services`."""
    key = str(next(_KEYS))
    path = paste_file or find_paste_file(services.conf)
    _REGISTRY[key] = services
    try:
        return paste_deploy.loadapp('config:' + os.path.abspath(path), name='main',
                                    global_conf={SERVICES_KEY: key})
    finally:
        del _REGISTRY[key]


def find_paste_file(conf):
    """[DEFAULT] api_paste_config: an absolute path as given; a relative one beside the config files,
    else the file shipped in the package (compute_api/etc/, found from any kind of install)."""
    name = conf.api_paste_config
    candidates = [name] if os.path.isabs(name) else (
        [os.path.join(os.path.dirname(f), name) for f in conf.config_file or []]
        + [str(importlib.resources.files('compute_api') / 'etc' / name)])
    for candidate in candidates:
        if os.path.exists(candidate):
            return candidate
    raise RuntimeError('Cannot find the paste file %s (looked in: %s)' % (name, ', '.join(candidates)))


def _services(global_conf):
    return _REGISTRY[global_conf[SERVICES_KEY]]


def _bool(value):
    return str(value).lower() in ('1', 'true', 'yes', 'on')


# -- filters -----------------------------------------------------------------------------------

def faultwrap_factory(global_conf, **local_conf):
    return middleware.FaultWrapper


class ComputeRequestId(request_id.RequestId):
    """oslo.middleware's RequestId with nova's compat header (x-compute-request-id, which clients
    such as tempest read), as a plain WSGI callable: oslo's webob round trip (a Request, then a
    Response rebuilt from the one below) cost as much as the rest of a GET / (benchmarks/)."""
    compat_headers = ['x-compute-request-id']

    def __call__(self, environ, start_response):
        self.set_global_req_id(webob.Request(environ))
        req_id = oslo_context.generate_request_id()
        environ[request_id.ENV_REQUEST_ID] = req_id
        names = [request_id.HTTP_RESP_HEADER_REQUEST_ID] + self.compat_headers

        def start_response_with_id(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            headers.extend((name, req_id) for name in names if name.lower() not in present)
            return start_response(status, headers, exc_info)

        return self.application(environ, start_response_with_id)


def request_id_factory(global_conf, **local_conf):
    return ComputeRequestId


class HealthcheckAt:
    """Sends only `path` to oslo.middleware's Healthcheck (it answers every path it is given)."""

    def __init__(self, app, path, conf):
        self.app = app
        self.path = path
        self.healthcheck = healthcheck.Healthcheck(app, conf)

    def __call__(self, environ, start_response):
        if environ.get('PATH_INFO', '').rstrip('/') == self.path:
            return self.healthcheck(environ, start_response)
        return self.app(environ, start_response)


def healthcheck_factory(global_conf, path='/healthcheck', **local_conf):
    services = _services(global_conf)
    return lambda app: HealthcheckAt(app, path, services.conf)


class BodySizeLimit(sizelimit.RequestBodySizeLimiter):
    """oslo.middleware's RequestBodySizeLimiter as a plain WSGI callable (see ComputeRequestId):
    a declared length over [oslo_middleware] max_request_body_size is a 413, a body of unknown
    length is cut off there (413 when read).

    A chunked body is read from wsgi.input itself, which the server de-chunks: webob (and so
    oslo's limiter) sees no body without a length unless the server sets wsgi.input_terminated,
    which eventlet does not, and chunked requests then arrived empty."""

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        max_size = self._conf_get('max_request_body_size')
        length = req.content_length
        if length is not None and length > max_size:
            explanation = 'Request is too large. Larger than max_request_body_size (%s).' % max_size
            return webob.exc.HTTPRequestEntityTooLarge(explanation=explanation)(environ, start_response)
        if length is None:
            chunked = 'chunked' in environ.get('HTTP_TRANSFER_ENCODING', '').lower()
            req.body_file = sizelimit.LimitingReader(req.body_file_raw if chunked else req.body_file, max_size)
        return self.application(environ, start_response)


def sizelimit_factory(global_conf, **local_conf):
    services = _services(global_conf)
    return lambda app: BodySizeLimit(app, services.conf)


class ProxyHeaders(http_proxy_to_wsgi.HTTPProxyToWSGI):
    """oslo.middleware's HTTPProxyToWSGI as a plain WSGI callable: its base class's __call__ also
    inspects the signature of process_response (which it does not have) on every request."""

    def __call__(self, environ, start_response):
        self.process_request(webob.Request(environ))
        return self.application(environ, start_response)


def proxy_headers_factory(global_conf, **local_conf):
    services = _services(global_conf)
    return lambda app: ProxyHeaders(app, services.conf)


def noauth_factory(global_conf, **local_conf):
    services = _services(global_conf)
    return lambda app: middleware.NoAuth(app, services.conf.api.noauth_roles)


def authtoken_factory(global_conf, **local_conf):
    services = _services(global_conf)
    # Options come from [keystone_authtoken] of the service's own configuration, not from paste.
    # A bad or missing token is a 401 with WWW-Authenticate, Keystone unreachable a 503 within
    # http_connect_timeout (x 1 + http_request_max_retries); faultwrap gives both nova's shape.
    conf_mod.set_authtoken_defaults(services.conf)
    return lambda app: middleware.KeystoneAuth(app, services.conf)


def context_factory(global_conf, **local_conf):
    services = _services(global_conf)
    return lambda app: middleware.ContextMiddleware(app, services.enforcer)


def ratelimit_factory(global_conf, **local_conf):
    """nova's legacy rate limiting when [api] rate_limit is on (a malformed [api] rate_limits
    fails the start), else nothing."""
    conf = _services(global_conf).conf
    if not conf.api.rate_limit:
        return lambda app: app
    limits = ratelimit.parse_limits(conf.api.rate_limits)
    return lambda app: ratelimit.RateLimitingMiddleware(app, ratelimit.Limiter(limits))


def negotiation_factory(global_conf, legacy_v2='false', **local_conf):
    legacy = _bool(legacy_v2)
    return lambda app: middleware.Negotiation(app, legacy)


# -- apps --------------------------------------------------------------------------------------

def router_factory(global_conf, legacy_v2='false', **local_conf):
    return router.Router(_services(global_conf), _bool(legacy_v2))


def pipeline_by_auth_strategy(loader, global_conf, **local_conf):
    """A composite choosing the pipeline named by [api] auth_strategy (noauth or keystone)."""
    services = _services(global_conf)
    names = local_conf[services.conf.api.auth_strategy].split()
    app = loader.get_app(names[-1])
    for name in reversed(names[:-1]):
        app = loader.get_filter(name)(app)
    return app


class VersionURLMap:
    """/ and the version documents (no auth), /v2 and /v2.1 to their pipelines, media-type
    versioning for unversioned paths, 300 Multiple Choices otherwise."""

    _MEDIA_VERSION = re.compile(r'version\s*=\s*"?([0-9.]+)"?')

    def __init__(self, services, apps):
        self.conf = services.conf
        self.apps = apps  # {'v2': app, 'v2.1': app}
        self.collections = router.collection_names()

    def _base_url(self, req):
        return (self.conf.api.compute_link_prefix or req.host_url + req.script_name).rstrip('/')

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        path = req.path_info
        if path in ('', '/'):
            if req.method not in ('GET', 'HEAD'):
                return faults.fault_response(405, 'The method %s is not allowed for this resource.'
                                             % req.method, headers={'Allow': 'GET, HEAD'})
            return wsgi.json_response(versions.version_list(self._base_url(req)))
        for prefix, version_id in (('/v2.1', 'v2.1'), ('/v2', 'v2.0')):
            if path == prefix or path.startswith(prefix + '/'):
                return self._versioned(req, prefix, version_id)
        version_id = self._media_type_version(req)
        if version_id:
            # Served exactly as if the URI had named the version, links included.
            version_path = '/v2.1' if version_id == 'v2.1' else '/v2'
            req.script_name += version_path
            return self.apps[version_path[1:]]
        return wsgi.json_response(versions.choices(self._base_url(req), path), status=300)

    def _versioned(self, req, prefix, version_id):
        rest = req.path_info[len(prefix):]
        if rest == '':
            return webob.exc.HTTPFound(location=req.application_url + prefix + '/')
        segments = rest.strip('/').split('/')
        is_version_doc = rest == '/' or (
            len(segments) == 1 and segments[0] not in self.collections
            and not segments[0].endswith('.json') and req.method in ('GET', 'HEAD'))
        if is_version_doc:
            return wsgi.json_response(versions.version_document(self._base_url(req), version_id))
        req.script_name += prefix
        req.path_info = rest
        # wsgify runs a returned WSGI app as it is: no Response rebuilt from its answer.
        return self.apps['v2.1' if version_id == 'v2.1' else 'v2']

    def _media_type_version(self, req):
        for header in (req.headers.get('Content-Type', ''), req.headers.get('Accept', '')):
            match = self._MEDIA_VERSION.search(header or '')
            if match:
                return 'v2.1' if match.group(1) == '2.1' else 'v2.0'
        return None


def urlmap_factory(loader, global_conf, **local_conf):
    services = _services(global_conf)
    apps = {'v2': loader.get_app(local_conf['v2']), 'v2.1': loader.get_app(local_conf['v2.1'])}
    return VersionURLMap(services, apps)
