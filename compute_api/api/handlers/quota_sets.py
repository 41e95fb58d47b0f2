"""os-quota-sets (show, detail, defaults; update and delete for admins) and os-quota-class-sets
(show, update; admins), nova's at 2.1.

A project's limit is its own, else the default quota class's, else the [quota] option; -1 is
unlimited. An update is all or nothing and, unless forced, refuses a limit below what the project
already uses. The legacy v2 endpoint checks bodies as nova's v2 controllers did: unknown keys are
"Bad key(s)", values anything int() takes.
"""
from compute_api import exception
from compute_api.api import common
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import quota_sets as schemas
from compute_api.api.views import quota_sets as views
from compute_api.compute import quotas

_NOT_QUOTAS = ('tenant_id', 'id', 'force')  # keys a legacy v2 body may carry besides quotas


def _authorize(req, action, project_id):
    req.services.authorize(req.context, 'os_compute_api:os-quota-sets:%s' % action, {'project_id': project_id})
    return project_id


def show_quota_set(req):
    project_id = _authorize(req, 'show', req.urlvars['tenant_id'])
    limits = quotas.project_limits(req.services.store, req.services.conf, project_id)
    return wsgi.json_response(views.quota_set(limits, project_id))


def show_quota_set_detail(req):
    project_id = _authorize(req, 'detail', req.urlvars['tenant_id'])
    detail = quotas.project_detail(req.services.store, req.services.conf, project_id)
    return wsgi.json_response(views.quota_set_detail(detail, project_id))


def show_quota_set_defaults(req):
    project_id = _authorize(req, 'defaults', req.urlvars['tenant_id'])
    limits = quotas.default_limits(req.services.store, req.services.conf)
    return wsgi.json_response(views.quota_set(limits, project_id))


def update_quota_set(req):
    project_id = _authorize(req, 'update', req.urlvars['tenant_id'])
    if len(project_id) > 255:
        raise exception.Invalid('project_id has more than 255 characters.')
    if req.legacy_v2:
        body = _legacy_body(req, 'quota_set', 'quota_set')
        force = common.bool_from_string(body.get('force', False))
        values = {key: value for key, value in body.items()
                  if key not in _NOT_QUOTAS and (value or value == 0)}
    else:
        body = validation.validate_body(req, schemas.update)['quota_set']
        force = common.bool_from_string(body.get('force', False))
        values = {key: value for key, value in body.items() if key != 'force'}
    values = {views.internal_name(key): int(value) for key, value in values.items()}
    limits = quotas.update_project(req.services.store, req.services.conf, project_id, values, force=force)
    return wsgi.json_response(views.quota_set(limits))


def delete_quota_set(req):
    project_id = _authorize(req, 'delete', req.urlvars['tenant_id'])
    quotas.delete_project(req.services.store, project_id)
    return wsgi.empty_response(202)


def show_quota_class_set(req):
    req.services.authorize(req.context, 'os_compute_api:os-quota-class-sets:show')
    class_name = req.urlvars['class_name']
    limits = quotas.quota_class(req.services.store, req.services.conf, class_name)
    return wsgi.json_response(views.quota_class_set(limits, class_name))


def update_quota_class_set(req):
    req.services.authorize(req.context, 'os_compute_api:os-quota-class-sets:update')
    class_name = req.urlvars['class_name']
    if len(class_name) > 255:
        raise exception.Invalid('quota_class_name has more than 255 characters.')
    if req.legacy_v2:
        body = _legacy_body(req, 'quota_class_set', 'quota_set')
    else:
        body = validation.validate_body(req, schemas.update_class)['quota_class_set']
    values = {views.internal_name(key): int(value) for key, value in body.items()}
    limits = quotas.update_class(req.services.store, req.services.conf, class_name, values)
    return wsgi.json_response(views.quota_class_set(limits))


def _legacy_body(req, key, noun):
    """nova v2's checks: the `key` object present, every key a quota (or an id/force for quota
    sets), every quota value an integer (or a string of one)."""
    body = req.json_body()
    if not isinstance(body, dict) or not isinstance(body.get(key), dict):
        raise exception.Invalid('%s not specified' % key)
    values = body[key]
    allowed = set(schemas.QUOTA_NAMES) | (set(_NOT_QUOTAS) if key == 'quota_set' else set())
    bad_keys = [name for name in values if name not in allowed]
    for name, value in values.items():
        if name in schemas.QUOTA_NAMES and (value or key == 'quota_class_set'):
            try:
                int(str(value))
            except ValueError:
                raise exception.InvalidInput(reason='%s must be an integer' % name)
    if bad_keys:
        raise exception.Invalid('Bad key(s) %s in %s' % (','.join(bad_keys), noun))
    return values
