"""Instance usage audit log documents (nova's os-instance_usage_audit_log at 2.1)."""


def audit_log(summary):
    """No host ran an audit here (compute.usage_audit), so nothing is done, running or counted."""
    hosts, not_run = summary['hosts'], summary['hosts_not_run']
    return {
        'period_beginning': str(summary['period_beginning']),
        'period_ending': str(summary['period_ending']),
        'num_hosts': len(hosts),
        'num_hosts_done': 0,
        'num_hosts_running': 0,
        'num_hosts_not_run': len(not_run),
        'hosts_not_run': not_run,
        'total_instances': 0,
        'total_errors': 0,
        'overall_status': '0 of %d hosts done. 0 errors.' % len(hosts),
        'log': {},
    }
