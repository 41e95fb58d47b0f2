"""os-services (admin): this host's nova-compute service."""
import re

import pytest


def listed(admin, query=''):
    services = admin.get('/v2.1/os-services' + query).json['services']
    for service in services:
        assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$', service.pop('updated_at'))
    return services


def test_list_shows_the_compute_service(admin, conf):
    conf.set_override('host', 'compute-1')
    assert listed(admin) == [{'id': 1, 'binary': 'nova-compute', 'host': 'compute-1', 'zone': 'nova',
                              'status': 'enabled', 'state': 'up', 'disabled_reason': None}]
    assert [s['host'] for s in admin.get('/v2/admin/os-services').json['services']] == ['compute-1']


@pytest.mark.parametrize('query, count', [
    ('?binary=nova-compute', 1), ('?host=compute-api', 1), ('?host=compute-api&binary=nova-compute', 1),
    ('?binary=nova-scheduler', 0), ('?host=elsewhere', 0), ('?host=compute', 0),
])
def test_filters(admin, query, count):
    assert len(listed(admin, query)) == count


def test_admin_only(client):
    resp = client.get('/v2.1/os-services', status=403)
    assert resp.json == {'forbidden': {
        'code': 403, 'message': "Policy doesn't allow os_compute_api:os-services:list to be performed."}}
