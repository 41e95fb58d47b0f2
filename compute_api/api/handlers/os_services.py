"""/os-services (admin, nova 2.1): the services with their up/down state (GET, filtered by ?host
and ?binary), enable/disable a compute service (PUT /os-services/{enable,disable,
disable-log-reason}), delete one (DELETE /os-services/{id})."""
from compute_api import exception
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import services as schemas
from compute_api.api.views import services as views
from compute_api.compute import inventory

MAX_ID = 2 ** 31 - 1  # the id column's range: larger ids name nothing


def list_services(req):
    req.services.authorize(req.context, 'os_compute_api:os-services:list')
    records = inventory.list_services(req.services.store, req.services.conf, req.GET.get('host'),
                                      req.GET.get('binary'))
    return wsgi.json_response({'services': [views.service(record) for record in records]})


def update_service(req):
    req.services.authorize(req.context, 'os_compute_api:os-services:update')
    action = req.urlvars['service_id']
    if action not in ('enable', 'disable', 'disable-log-reason'):
        raise exception.NotFound('Unknown action')
    body = validation.validate_body(req, schemas.update)
    reason = None
    if action == 'disable-log-reason':
        if 'disabled_reason' not in body:
            raise exception.Invalid('Missing disabled reason field')
        reason = body['disabled_reason']
    if body['binary'] != inventory.COMPUTE_BINARY:
        raise exception.Invalid('Updating a %s service is not supported. Only nova-compute services can be '
                                'updated.' % body['binary'])
    inventory.set_service_status(req.services.store, body['host'], body['binary'], action != 'enable', reason)
    return wsgi.json_response({'service': views.status_change(body['host'], body['binary'], action != 'enable',
                                                              reason)})


def delete_service(req):
    req.services.authorize(req.context, 'os_compute_api:os-services:delete')
    service_id = req.urlvars['service_id']
    if not service_id.isdigit():
        raise exception.InvalidInput(reason='id must be an integer')
    if int(service_id) > MAX_ID:
        raise exception.ServiceNotFound(service_id=service_id)
    inventory.delete_service(req.services.store, int(service_id))
    return wsgi.empty_response(204)
