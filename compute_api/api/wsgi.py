"""The request object handlers receive and the JSON response helper."""
import json
import re

import webob

from compute_api import exception
from compute_api.api import microversion

ENV_SERVICES = 'compute_api.services'
ENV_CONTEXT = 'compute_api.context'
ENV_VERSION = 'compute_api.api_version'
ENV_LEGACY_V2 = 'compute_api.legacy_v2'


class Request(webob.Request):
    """A webob request plus what the pipeline established: services, context, API version."""

    @property
    def services(self):
        return self.environ[ENV_SERVICES]

    @property
    def context(self):
        return self.environ[ENV_CONTEXT]

    @property
    def legacy_v2(self):
        return self.environ.get(ENV_LEGACY_V2, False)

    @property
    def api_version(self):
        """The microversion on /v2.1; None on the legacy /v2 endpoint."""
        return self.environ.get(ENV_VERSION)

    def supports(self, feature):
        """Whether this request's microversion has `feature` (a name of api/microversion.py)."""
        return microversion.supports(self.api_version, feature)

    @property
    def urlvars(self):
        return self.environ['wsgiorg.routing_args'][1]

    @property
    def link_prefix(self):
        """Base of self links: the versioned application URL, plus the project when the URL had one."""
        return self._prefixes()[0]

    @property
    def bookmark_prefix(self):
        """Base of bookmark links: the same without the version segment."""
        return self._prefixes()[1]

    def _prefixes(self):
        cached = self.environ.get('compute_api.link_prefixes')
        if cached:
            return cached
        conf = self.services.conf
        app_url = self.application_url
        host_url = self.host_url
        script = self.script_name
        if conf.api.compute_link_prefix:
            prefix = conf.api.compute_link_prefix.rstrip('/')
            app_url = prefix + script
            host_url = prefix
        version_segment = script.rsplit('/', 1)[-1]
        bookmark = app_url[:-len(version_segment) - 1] if version_segment.startswith('v2') else host_url
        project = self.urlvars.get('project_id')
        if project:
            app_url += '/' + project
            bookmark += '/' + project
        self.environ['compute_api.link_prefixes'] = (app_url, bookmark)
        return app_url, bookmark

    def json_body(self):
        """The parsed JSON body, None when there is none; malformed JSON is a 400."""
        body = self.body
        if not body:
            return None
        try:
            parsed = json.loads(body, parse_constant=_not_json)
            if b'\\u' in body and not _storable(parsed):
                raise ValueError('unstorable text')
            return parsed
        except (ValueError, RecursionError):  # RecursionError: nested too deep
            raise exception.MalformedRequestBody()

    def params_multi(self):
        """Query parameters as {name: [values]}."""
        result = {}
        for key, value in self.GET.items():
            result.setdefault(key, []).append(value)
        return result


def _storable(value):
    """Every text in `value` (keys too) is one a database can hold: escapes can spell a NUL
    (PostgreSQL refuses it) or a lone surrogate ("\\ud800", no UTF-8 at all)."""
    if isinstance(value, str):
        return '\x00' not in value and not _SURROGATE.search(value)
    if isinstance(value, dict):
        return all(_storable(k) and _storable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_storable(v) for v in value)
    return True


_SURROGATE = re.compile('[\ud800-\udfff]')


def _not_json(constant):
    """NaN and Infinity are no JSON numbers (Python's parser takes them; no schema bound holds them)."""
    raise ValueError(constant)


def json_response(body, status=200, headers=None):
    resp = webob.Response(status=status, content_type='application/json', charset=None)
    if body is not None:
        resp.body = json.dumps(body).encode()
    if headers:
        for name, value in headers.items():
            resp.headers[name] = value
    return resp


def empty_response(status, headers=None):
    resp = webob.Response(status=status, content_type=None, charset=None)
    if headers:
        for name, value in headers.items():
            resp.headers[name] = value
    return resp
