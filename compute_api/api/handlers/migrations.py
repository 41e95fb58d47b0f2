"""GET /os-migrations (admin): the resizes of servers, newest first, as nova's os-migrations at
2.1, filtered by ?status=, ?host= (either end), ?instance_uuid= and ?source_compute=."""
from compute_api.api import wsgi
from compute_api.api.views import server_actions as views
from compute_api.compute import server_actions as compute

FILTERS = ('status', 'host', 'instance_uuid', 'source_compute')


def list_migrations(req):
    req.services.authorize(req.context, 'os_compute_api:os-migrations:index')
    params = req.params_multi()
    filters = {key: params[key][-1] for key in FILTERS if key in params}
    migrations = compute.list_migrations(req.services.store, filters)
    return wsgi.json_response({'migrations': [views.migration(row) for row in migrations]})
