"""POST /os-server-external-events (admin; nova's os-server-external-events at 2.1): events
from other services about servers, answered per event (code 200, 404 or 422) with 207 when
they differ, and 404 when no event found its server."""
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import server_external_events as schemas
from compute_api.api.views import server_external_events as views
from compute_api.compute import external_events as compute_events


def create_server_external_events(req):
    req.services.authorize(req.context, 'os_compute_api:os-server-external-events:create')
    requested = validation.validate_body(req, schemas.create)['events']
    outcomes = compute_events.deliver(req.services.store, requested)
    return wsgi.json_response(views.events(requested, outcomes), status=views.status(outcomes))
