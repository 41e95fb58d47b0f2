"""What handlers share: the server of the URL under its policy, query-parameter parsing and
collection links."""
import urllib.parse

from compute_api import exception
from compute_api.compute import servers as compute_servers

_FALSE = ('0', 'f', 'false', 'off', 'n', 'no')
_TRUE = ('1', 't', 'true', 'on', 'y', 'yes')


def server_owner(instance):
    """The target of nova's server rules: the server's owner."""
    return {'project_id': instance['project_id'], 'user_id': instance['user_id']}


def server_project(instance):
    """The target nova gives os-server-diagnostics and os-security-groups:list: the server's project."""
    return {'project_id': instance['project_id']}


def authorized_instance(req, rule, target=server_owner):
    """The instance row of the URL's server, once `rule` allows the caller on `target(instance)`.
    The lookup is scoped to the caller's project (admins: any) before the policy check, so
    another project's server is a 404 exactly like a random id's."""
    instance = compute_servers.get_instance(req.services.store, req.context, req.urlvars['server_id'])
    req.services.authorize(req.context, rule, target(instance))
    return instance


def authorized_server(req, rule):
    """authorized_instance(req, rule) with the server's metadata, addresses and volumes."""
    server = compute_servers.get_server(req.services.store, req.context, req.urlvars['server_id'])
    req.services.authorize(req.context, rule, server_owner(server.instance))
    return server


def limit_and_marker(req):
    """(limit, marker): limit defaults to and is capped at [api] max_limit; nova's 400s otherwise."""
    max_limit = req.services.conf.api.max_limit
    limit = max_limit
    raw = req.GET.get('limit')
    if raw is not None:
        try:
            limit = int(raw)
        except ValueError:
            raise exception.Invalid('limit param must be an integer')
        if limit < 0:
            raise exception.Invalid('limit param must be positive')
        limit = min(limit, max_limit)
    return limit, req.GET.get('marker')


def limit_and_offset(req):
    """(limit, offset) for offset-paged collections (nova's common.limited): limit 0 or absent
    means [api] max_limit, which also caps it."""
    max_limit = req.services.conf.api.max_limit
    values = {}
    for name, default in (('offset', 0), ('limit', max_limit)):
        try:
            values[name] = int(req.GET.get(name, default))
        except ValueError:
            raise exception.Invalid('%s param must be an integer' % name)
        if values[name] < 0:
            raise exception.Invalid('%s param must be positive' % name)
    # An offset past any row is an empty page; beyond a 64-bit integer no database takes it.
    return min(max_limit, values['limit'] or max_limit), min(values['offset'], 2 ** 63 - 1)


def next_links(req, collection, items, limit, id_key='id'):
    """[{'rel': 'next', ...}] when the page is full (nova's rule), else []."""
    if not items or len(items) != limit:
        return []
    params = [(k, v) for k, v in req.GET.items() if k != 'marker']
    params.append(('marker', items[-1][id_key]))
    href = '%s/%s?%s' % (req.link_prefix, collection, urllib.parse.urlencode(params))
    return [{'rel': 'next', 'href': href}]


def int_param(req, name, message):
    raw = req.GET.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise exception.Invalid(message % raw)


def bool_from_string(value, strict=False):
    """oslo's bool_from_string: True/False; an unknown word is False, or ValueError when strict."""
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if strict:
        raise ValueError(value)
    return False


def sort_param(req, allowed, default_key, default_dir, label):
    """(sort_key, sort_dir) from the query, each validated against the allowed values."""
    key = req.GET.get('sort_key', default_key)
    direction = req.GET.get('sort_dir', default_dir)
    if key not in allowed:
        raise exception.ValidationError("Invalid input for query parameters sort_key. Value: %s. "
                                        "'%s' is not one of the %s sort keys" % (key, key, label))
    if direction not in ('asc', 'desc'):
        raise exception.ValidationError("Invalid input for query parameters sort_dir. Value: %s. "
                                        "'%s' is not one of ['asc', 'desc']" % (direction, direction))
    return key, direction


def action_handler(req, actions):
    """The handler of an action body (`{"<action>": {...}}`): exactly one key, one we serve
    (nova's 400s otherwise)."""
    body = req.json_body()
    if not isinstance(body, dict) or len(body) != 1:
        raise exception.MalformedRequestBody()
    action = next(iter(body))
    if action not in actions:
        raise exception.NoSuchAction(action=action)
    return actions[action]
