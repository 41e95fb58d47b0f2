"""Nova's fault documents, and the one place where domain exceptions become HTTP statuses."""
import json

import webob

from compute_api import exception

FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    409: 'conflictingRequest',
    413: 'overLimit',
    415: 'badMediaType',
    429: 'overLimit',
    500: 'computeFault',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}

GENERIC_500 = 'The server has either erred or is incapable of performing the requested operation.'

# Most specific first: the first matching class decides the status.
_STATUS_BY_EXCEPTION = (
    (exception.UnsupportedContentType, 400),  # v2.1 turns it into 415 in status_for()
    (exception.InvalidMetadataSize, 400),     # legacy v2 turns it into 413 in status_for()
    (exception.Invalid, 400),
    (exception.Unauthorized, 401),
    (exception.Forbidden, 403),
    (exception.NotFound, 404),
    (exception.NotAcceptable, 406),
    (exception.Conflict, 409),
    (exception.RateLimited, 429),
    (exception.LegacyUnprocessable, 422),
    (exception.NotImplementedYet, 501),
    (exception.ServiceUnavailable, 503),
)


def status_for(exc, legacy_v2=False):
    if isinstance(exc, exception.UnsupportedContentType) and not legacy_v2:
        return 415
    if isinstance(exc, exception.InvalidMetadataSize) and legacy_v2:
        return 413
    for cls, status in _STATUS_BY_EXCEPTION:
        if isinstance(exc, cls):
            return status
    return 500


def fault_response(status, message, headers=None, extra=None):
    """A webob Response holding nova's fault document for `status`."""
    body = {'code': status, 'message': message}
    if extra:
        body.update(extra)
    resp = webob.Response(status=status, content_type='application/json', charset=None)
    resp.body = json.dumps({FAULT_NAMES.get(status, 'computeFault'): body}).encode()
    for name, value in (headers or {}).items():
        resp.headers[name] = value
    return resp


def from_exception(exc, legacy_v2=False):
    """The fault response for a domain exception (its message is safe to show)."""
    status = status_for(exc, legacy_v2)
    headers = {}
    extra = None
    if isinstance(exc, exception.QuotaExceeded):
        headers['Retry-After'] = '0'
    if isinstance(exc, exception.RateLimited):
        headers['Retry-After'] = str(exc.retry_after)
        extra = {'details': exc.details, 'retryAfter': str(exc.retry_after)}
    return fault_response(status, exc.message, headers, extra)
