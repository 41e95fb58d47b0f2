"""GET /limits: the caller's rate limits (when the rate limiting middleware is on) and the
project's absolute limits with its usage; ?tenant_id= (admins) shows another project's."""
from compute_api.api import ratelimit
from compute_api.api import wsgi
from compute_api.api.views import limits as views
from compute_api.compute import quotas


def show_limits(req):
    context = req.context
    req.services.authorize(context, 'os_compute_api:limits')
    project_id = context.project_id
    if 'tenant_id' in req.GET:
        project_id = req.GET['tenant_id']
        req.services.authorize(context, 'os_compute_api:limits:other_project', {'project_id': project_id})
    absolute, usage = quotas.limits_and_usage(req.services.store, req.services.conf, project_id)
    return wsgi.json_response(views.limits(req.environ.get(ratelimit.ENV_LIMITS, []), absolute, usage))
