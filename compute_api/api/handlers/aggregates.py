"""/os-aggregates and POST /os-aggregates/{aggregate_id}/action (nova's os-aggregates, admin).

Create answers 200 with the aggregate (without hosts and metadata, as nova); show, update and
the actions (add_host, remove_host, set_metadata: exactly one per body) answer the whole
aggregate; delete answers 200 with no body, as nova's does.
"""
from compute_api.api import common
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import aggregates as schemas
from compute_api.api.views import aggregates as views
from compute_api.compute import aggregates as compute_aggregates


def _authorize(req, action):
    req.services.authorize(req.context, 'os_compute_api:os-aggregates:%s' % action)


def _answer(aggregate):
    return wsgi.json_response({'aggregate': views.aggregate(aggregate)})


def list_aggregates(req):
    _authorize(req, 'index')
    return wsgi.json_response(views.index(compute_aggregates.list_aggregates(req.services.store)))


def create_aggregate(req):
    _authorize(req, 'create')
    body = validation.validate_body(req, schemas.create)['aggregate']
    aggregate = compute_aggregates.create_aggregate(req.services.store, body['name'], body.get('availability_zone'))
    return wsgi.json_response(views.created(aggregate))


def show_aggregate(req):
    _authorize(req, 'show')
    return _answer(compute_aggregates.get_aggregate(req.services.store, req.urlvars['aggregate_id']))


def update_aggregate(req):
    _authorize(req, 'update')
    body = validation.validate_body(req, schemas.update)['aggregate']
    return _answer(compute_aggregates.update_aggregate(req.services.store, req.urlvars['aggregate_id'], body))


def delete_aggregate(req):
    _authorize(req, 'delete')
    compute_aggregates.delete_aggregate(req.services.store, req.urlvars['aggregate_id'])
    return wsgi.empty_response(200)


def add_host(req):
    _authorize(req, 'add_host')
    host = validation.validate_body(req, schemas.add_host)['add_host']['host']
    return _answer(compute_aggregates.add_host(req.services.store, req.services.conf, req.urlvars['aggregate_id'],
                                               host))


def remove_host(req):
    _authorize(req, 'remove_host')
    host = validation.validate_body(req, schemas.remove_host)['remove_host']['host']
    return _answer(compute_aggregates.remove_host(req.services.store, req.urlvars['aggregate_id'], host))


def set_metadata(req):
    _authorize(req, 'set_metadata')
    metadata = validation.validate_body(req, schemas.set_metadata)['set_metadata']['metadata']
    return _answer(compute_aggregates.set_metadata(req.services.store, req.urlvars['aggregate_id'], metadata))


ACTIONS = {'add_host': add_host, 'remove_host': remove_host, 'set_metadata': set_metadata}


def aggregate_action(req):
    return common.action_handler(req, ACTIONS)(req)
