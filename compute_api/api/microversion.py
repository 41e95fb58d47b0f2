"""v2.1 microversions: the supported range (here, and only here), header parsing, and the table
of features by the version that brings them.

Handlers, schemas and views never compare raw numbers: they ask `req.supports(FEATURE)` with a
name from the table below, or pick a request schema with `validation.ByVersion`.
"""
import functools
import re

from compute_api import exception

_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')

LEGACY_HEADER = 'X-OpenStack-Nova-API-Version'
HEADER = 'OpenStack-API-Version'
SERVICE_TYPE = 'compute'


class APIVersion(tuple):
    """(major, minor), comparable; str() is '2.1'."""

    def __new__(cls, major, minor):
        return super().__new__(cls, (major, minor))

    @classmethod
    def parse(cls, text):
        match = _VERSION_RE.match(text.strip())
        if not match:
            raise InvalidVersion(text)
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self):
        return '%d.%d' % self


MIN_VERSION = APIVersion(2, 1)
MAX_VERSION = APIVersion(2, 10)

# -- what each microversion brings (nova's api_version_request.is_supported(req, 'X')) ----------
KEYPAIR_TYPE = APIVersion(2, 2)                # keypair "type" (ssh|x509); create 201, delete 204
EXTENDED_SERVER_ATTRIBUTES = APIVersion(2, 3)  # more OS-EXT-SRV-ATTR:*; volumes' delete_on_termination
# 2.4 changes os-fixed-ips, which is not served on /v2.1 (nova: 410 at every version).
IP6_FILTER_FOR_ALL = APIVersion(2, 5)          # ?ip6= on GET /servers for every user, not only admins
REMOTE_CONSOLES = APIVersion(2, 6)             # POST /servers/{id}/remote-consoles; the os-get*Console actions end
PUBLIC_FLAVOR_ACCESS_CONFLICT = APIVersion(2, 7)  # addTenantAccess on a public flavor: 409, not 200
MKS_CONSOLE = APIVersion(2, 8)                 # remote console protocol "mks", type "webmks"
LOCKED_SHOWN = APIVersion(2, 9)                # "locked" in every server document
KEYPAIR_USER = APIVersion(2, 10)               # admins name the user of a key pair (body user_id, ?user_id=)
CONSOLE_AUTH_TOKENS = APIVersion(2, 31)        # GET /os-console-auth-tokens/{token} for every console type


class InvalidVersion(exception.Invalid):
    def __init__(self, text):
        super().__init__('API Version String %s is of invalid format. Must be of format MajorNum.MinorNum.'
                         % text)


class VersionNotSupported(exception.NotAcceptable):
    """406: a well-formed version outside [MIN_VERSION, MAX_VERSION]. Its fault still echoes the
    rejected version, as nova's does."""

    def __init__(self, version):
        self.version = version
        super().__init__('Version %s is not supported by the API. Minimum is %s and maximum is %s.'
                         % (version, MIN_VERSION, MAX_VERSION))


def _requested_text(headers):
    """The compute version the client asked for, or None (nova's precedence: the last `compute`
    entry of OpenStack-API-Version; without one, the last value of the legacy header)."""
    requested = None
    for item in (headers.get(HEADER) or '').split(','):
        parts = item.strip().split(None, 1)
        if len(parts) == 2 and parts[0].lower() == SERVICE_TYPE:
            requested = parts[1].strip()
    if requested is None and headers.get(LEGACY_HEADER):
        requested = headers[LEGACY_HEADER].split(',')[-1].strip()
    return requested


def from_headers(headers):
    """The APIVersion a v2.1 request selects (default: the minimum). `latest` is exactly that
    word, lower case, as nova; anything else must be MajorNum.MinorNum."""
    text = _requested_text(headers)
    if text is None:
        return MIN_VERSION
    if text == 'latest':
        return MAX_VERSION
    version = APIVersion.parse(text)
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise VersionNotSupported(version)
    return version


def supports(version, feature):
    """Whether a request of `version` (None: the legacy /v2 endpoint) has `feature`."""
    return version is not None and version >= feature


class VersionNotFound(exception.NotFound):
    """A route or action outside its version range: nova's bare 404, which says nothing of the
    versions where it exists."""
    msg = 'The resource could not be found.'


def in_versions(handler, since=None, until=None):
    """`handler`, served for microversions in [since, until) and nova's bare 404 outside them.
    The legacy /v2 endpoint has what has no `since` (everything v2.1 had at 2.1)."""
    @functools.wraps(handler)
    def versioned(req):
        if not versioned.serves(req.api_version):
            raise VersionNotFound()
        return handler(req)

    def serves(version):
        """Whether a request of `version` (None: /v2) reaches the handler."""
        if version is None:
            return since is None
        return (since is None or version >= since) and (until is None or version < until)
    versioned.serves = serves
    return versioned


def response_headers(version):
    return {
        LEGACY_HEADER: str(version),
        HEADER: '%s %s' % (SERVICE_TYPE, version),
    }


# nova adds one Vary line per header.
VARY = (HEADER, LEGACY_HEADER)
