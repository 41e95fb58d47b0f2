"""GET /os-instance_usage_audit_log and /os-instance_usage_audit_log/{before_timestamp} (admin):
the usage audit of the last completed period, or of the last one completed before a time (nova's
os-instance_usage_audit_log at 2.1; a timestamp it cannot read is a 400)."""
from compute_api.api import wsgi
from compute_api.api.views import usage_audit as views
from compute_api.compute import usage_audit as compute_audit


def list_audit_logs(req):
    req.services.authorize(req.context, 'os_compute_api:os-instance-usage-audit-log:list')
    summary = compute_audit.audit_summary(req.services.conf)
    return wsgi.json_response({'instance_usage_audit_logs': views.audit_log(summary)})


def show_audit_log(req):
    req.services.authorize(req.context, 'os_compute_api:os-instance-usage-audit-log:show')
    before = compute_audit.parse_before(req.urlvars['before_timestamp'])
    summary = compute_audit.audit_summary(req.services.conf, before)
    return wsgi.json_response({'instance_usage_audit_log': views.audit_log(summary)})
