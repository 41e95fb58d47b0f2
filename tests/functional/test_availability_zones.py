"""Availability zones: GET /os-availability-zone (anyone) and /detail (admin)."""
import re

import pytest


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2.1/demo', '/v2/demo'])
def test_list_shows_the_default_zone_available(client, prefix):
    assert client.get(prefix + '/os-availability-zone').json == {
        'availabilityZoneInfo': [{'zoneName': 'nova', 'zoneState': {'available': True}, 'hosts': None}]}


def test_the_zone_name_comes_from_the_configuration(client, conf):
    conf.set_override('default_availability_zone', 'az-1')
    assert [z['zoneName'] for z in client.get('/v2.1/os-availability-zone').json['availabilityZoneInfo']] == ['az-1']


def test_detail_shows_the_compute_host_of_the_zone(admin, conf):
    conf.set_override('host', 'compute-1')
    zones = admin.get('/v2.1/os-availability-zone/detail').json['availabilityZoneInfo']
    assert len(zones) == 1
    zone = zones[0]
    assert (zone['zoneName'], zone['zoneState']) == ('nova', {'available': True})
    service = zone['hosts']['compute-1']['nova-compute']
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$', service.pop('updated_at'))
    assert service == {'available': True, 'active': True}
    assert set(zone['hosts']) == {'compute-1'}


def test_detail_is_admin_only(client):
    resp = client.get('/v2.1/os-availability-zone/detail', status=403)
    assert resp.json == {'forbidden': {
        'code': 403, 'message': "Policy doesn't allow os_compute_api:os-availability-zone:detail to be performed."}}


def test_other_methods_are_405(client):
    client.post('/v2.1/os-availability-zone', {}, status=405)
    client.delete('/v2.1/os-availability-zone/detail', status=405)
