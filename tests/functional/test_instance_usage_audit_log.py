"""GET /os-instance_usage_audit_log[/{before_timestamp}] (admin): the last completed monthly audit
period; no usage audit runs here, so the one compute host is listed as not run."""
import datetime

import pytest


def summary(beginning, ending, host):
    return {'period_beginning': beginning, 'period_ending': ending, 'num_hosts': 1, 'num_hosts_done': 0,
            'num_hosts_running': 0, 'num_hosts_not_run': 1, 'hosts_not_run': [host], 'total_instances': 0,
            'total_errors': 0, 'overall_status': '0 of 1 hosts done. 0 errors.', 'log': {}}


@pytest.mark.parametrize('before,beginning,ending', [
    ('2026-11-23 12:30:00', '2026-10-01 00:00:00', '2026-11-01 00:00:00'),
    ('2026-11-01 00:00:00.000001', '2026-10-01 00:00:00', '2026-11-01 00:00:00'),
    ('2026-11-01 00:00:00', '2026-09-01 00:00:00', '2026-10-01 00:00:00'),  # a period ends before `before`
    ('2026-01-15 08:00:00', '2025-12-01 00:00:00', '2026-01-01 00:00:00'),
    ('2026-02-01 00:00:00', '2025-12-01 00:00:00', '2026-01-01 00:00:00'),
])
def test_the_period_completed_before_a_time(admin, conf, before, beginning, ending):
    resp = admin.get('/v2.1/os-instance_usage_audit_log/%s' % before.replace(' ', '%20'))
    assert resp.json == {'instance_usage_audit_log': summary(beginning, ending, conf.host)}


def test_the_list_is_the_last_completed_period(admin, conf):
    now = datetime.datetime.now(datetime.timezone.utc)
    ending = datetime.datetime(now.year, now.month, 1)
    beginning = ending.replace(year=ending.year - 1, month=12) if ending.month == 1 else \
        ending.replace(month=ending.month - 1)
    for prefix in ('/v2.1', '/v2/admin'):
        assert admin.get(prefix + '/os-instance_usage_audit_log').json == {
            'instance_usage_audit_logs': summary(str(beginning), str(ending), conf.host)}


@pytest.mark.parametrize('before', ['invalid_time', '2026-11-23', '2026-11-23T12:00:00', '2026-13-01 00:00:00'])
def test_a_timestamp_nova_cannot_read_is_a_bad_request(admin, before):
    resp = admin.get('/v2.1/os-instance_usage_audit_log/%s' % before.replace(' ', '%20'), status=400)
    assert resp.json == {'badRequest': {'code': 400, 'message': 'Invalid timestamp for date %s' % before}}


def test_only_admins_see_the_audit(client):
    for path in ('/v2.1/os-instance_usage_audit_log', '/v2.1/os-instance_usage_audit_log/2026-11-23%2012:00:00'):
        assert client.get(path, status=403).json['forbidden']['code'] == 403
