"""GET /servers and /servers/detail: filters, paging, sorting, tenants; multi-create."""
import urllib.parse

import pytest

from compute_api.db import models
from tests.functional.test_servers import IMAGE
from tests.functional.test_servers import MEMBER_KEYS
from tests.functional.test_servers import boot
from tests.functional.test_servers import fault_message

OTHER_IMAGE = 'a2459075-d96c-40d5-893e-577ff92e721c'


@pytest.fixture
def fleet(client, services):
    """web-1 (ACTIVE), web-2 (ACTIVE, other image, flavor 2), db-1 (ERROR), newest last; returns
    {name: id}."""
    ids = {'web-1': boot(client, name='web-1').json['server']['id'],
           'web-2': boot(client, name='web-2', imageRef=OTHER_IMAGE, flavorRef='2').json['server']['id'],
           'db-1': boot(client, name='db-1', metadata={'fake:fail': 'spawn'}).json['server']['id']}
    services.tasks.wait()
    return ids


def names(resp):
    return [server['name'] for server in resp.json['servers']]


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_index_is_id_name_links_newest_first(client, fleet, prefix):
    resp = client.get(prefix + '/servers')
    assert names(resp) == ['db-1', 'web-2', 'web-1']
    first = resp.json['servers'][0]
    assert set(first) == {'id', 'name', 'links'}
    assert first['links'][0]['href'].endswith('%s/servers/%s' % (prefix, fleet['db-1']))
    assert 'servers_links' not in resp.json


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_detail_is_full_documents(client, fleet, prefix):
    servers = client.get(prefix + '/servers/detail').json['servers']
    assert [s['status'] for s in servers] == ['ERROR', 'ACTIVE', 'ACTIVE']
    assert all(set(s) >= MEMBER_KEYS for s in servers)
    assert servers[0]['fault']['message'] == 'The fake driver was asked to fail spawn.'
    assert servers[1]['image']['id'] == OTHER_IMAGE


def test_paging_with_limit_marker_and_next_links(client, fleet):
    first = client.get('/v2.1/servers?limit=2').json
    assert [s['name'] for s in first['servers']] == ['db-1', 'web-2']
    (link,) = first['servers_links']
    assert link['rel'] == 'next'
    query = urllib.parse.parse_qs(urllib.parse.urlparse(link['href']).query)
    assert query == {'limit': ['2'], 'marker': [fleet['web-2']]}
    second = client.get(link['href'].replace('http://localhost', '')).json
    assert [s['name'] for s in second['servers']] == ['web-1']
    assert 'servers_links' not in second
    after_last = client.get('/v2.1/servers?marker=%s' % fleet['web-1']).json
    assert after_last == {'servers': []}
    detail = client.get('/v2.1/servers/detail?limit=1').json
    assert detail['servers_links'][0]['href'].startswith('http://localhost/v2.1/servers/detail?')


def test_limit_is_capped_by_max_limit(client, fleet, services):
    services.conf.set_override('max_limit', 2, group='api')
    resp = client.get('/v2.1/servers?limit=50').json
    assert len(resp['servers']) == 2 and 'servers_links' in resp
    assert client.get('/v2.1/servers?limit=0').json == {'servers': []}


@pytest.mark.parametrize('query, message', [
    ('limit=-1', 'limit param must be positive'),
    ('limit=x', 'limit param must be an integer'),
    ('marker=6a1f4f4e-0000-4000-8000-000000000000', 'marker [6a1f4f4e-0000-4000-8000-000000000000] not found'),
    ('changes-since=yesterday', 'Invalid input received: Invalid changes-since value'),
    ('name=(', 'Invalid regular expression for name: ('),
    ('sort_key=bogus', None),
    ('sort_dir=sideways', None),
])
def test_bad_query_parameters_are_400(client, fleet, query, message):
    resp = client.get('/v2.1/servers?' + query, status=400)
    if message:
        assert fault_message(resp) == message


def test_another_projects_marker_is_not_found(client, fleet):
    client.as_user('other').get('/v2.1/servers?marker=%s' % fleet['web-1'], status=400)


@pytest.mark.parametrize('query, expected', [
    ('name=web', ['web-2', 'web-1']),
    ('name=^web-1$', ['web-1']),
    ('name=%5Edb', ['db-1']),
    ('status=ACTIVE', ['web-2', 'web-1']),
    ('status=error', ['db-1']),
    ('status=ERROR&status=ACTIVE', ['db-1', 'web-2', 'web-1']),
    ('status=BUILD', []),
    ('status=NOT_A_STATUS', []),
    ('image=%s' % OTHER_IMAGE, ['web-2']),
    ('image=http://localhost/images/%s' % IMAGE, ['db-1', 'web-1']),
    ('flavor=2', ['web-2']),
    ('flavor=999', []),
    ('ip=10.0.0.3', ['web-2']),
    ('ip=%5E10%5C.0%5C.0%5C.%5B23%5D$', ['web-2', 'web-1']),
    ('host=elsewhere', ['db-1', 'web-2', 'web-1']),  # an admin's filter: dropped for others
    ('bogus=1', ['db-1', 'web-2', 'web-1']),
    ('sort_key=display_name&sort_dir=asc', ['db-1', 'web-1', 'web-2']),
    ('sort_key=display_name', ['web-2', 'web-1', 'db-1']),
    ('sort_key=vm_state&sort_dir=asc&sort_key=display_name&sort_dir=desc', ['web-2', 'web-1', 'db-1']),
    ('sort_key=memory_mb&sort_dir=asc', ['db-1', 'web-2', 'web-1']),  # ignored, as nova
])
def test_filters_and_sorting(client, fleet, query, expected):
    assert names(client.get('/v2.1/servers?' + query)) == expected
    assert names(client.get('/v2.1/servers/detail?' + query)) == expected


def test_changes_since_includes_the_callers_deleted_servers(client, fleet, services):
    client.delete('/v2.1/servers/%s' % fleet['web-2'])
    services.tasks.wait()
    assert names(client.get('/v2.1/servers')) == ['db-1', 'web-1']
    servers = client.get('/v2.1/servers/detail?changes-since=2000-01-01T00:00:00Z').json['servers']
    assert [(s['name'], s['status']) for s in servers] == [('db-1', 'ERROR'), ('web-2', 'DELETED'),
                                                           ('web-1', 'ACTIVE')]
    assert servers[1]['OS-SRV-USG:terminated_at'] is not None
    future = client.get('/v2.1/servers?changes-since=2999-01-01T00:00:00%2B01:00').json
    assert future == {'servers': []}
    assert client.as_user('other').get('/v2.1/servers?changes-since=2000-01-01').json == {'servers': []}


def test_deleted_status_is_for_admins(client, admin, fleet, services):
    client.delete('/v2.1/servers/%s' % fleet['web-2'])
    services.tasks.wait()
    resp = client.get('/v2.1/servers?status=DELETED', status=403)
    assert fault_message(resp) == 'Only administrators may list deleted instances'
    deleted = admin.get('/v2.1/servers?status=DELETED&all_tenants=1').json['servers']
    assert [s['id'] for s in deleted] == [fleet['web-2']]
    assert names(admin.get('/v2.1/servers?deleted=true&all_tenants=1')) == ['web-2']


def test_all_tenants_is_for_admins(client, admin, fleet, services):
    boot(admin, name='admins')
    resp = client.get('/v2.1/servers?all_tenants=1', status=403)
    assert fault_message(resp) == "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed."
    client.get('/v2.1/servers/detail?all_tenants', status=403)
    assert names(client.get('/v2.1/servers?all_tenants=0')) == ['db-1', 'web-2', 'web-1']
    assert names(admin.get('/v2.1/servers')) == ['admins']
    assert names(admin.get('/v2.1/servers?all_tenants=true')) == ['admins', 'db-1', 'web-2', 'web-1']
    assert names(admin.get('/v2.1/servers?all_tenants=1&tenant_id=demo')) == ['db-1', 'web-2', 'web-1']
    admin.get('/v2.1/servers?all_tenants=maybe', status=400)


def test_admin_filters(admin, client, fleet, services):
    everyone = '/v2.1/servers?all_tenants=1&'
    assert names(admin.get(everyone + 'host=compute-api')) == ['db-1', 'web-2', 'web-1']
    assert names(admin.get(everyone + 'host=elsewhere')) == []
    assert names(admin.get(everyone + 'vm_state=error')) == ['db-1']
    assert names(admin.get(everyone + 'uuid=%s' % fleet['web-1'])) == ['web-1']
    assert names(admin.get(everyone + 'sort_key=host&sort_dir=asc&sort_key=display_name&sort_dir=asc')) == [
        'db-1', 'web-1', 'web-2']


def test_names_with_regex_metacharacters_are_matched_on_every_backend(client, services):
    boot(client, name='a.b[1]')
    boot(client, name='axb1')
    assert names(client.get('/v2.1/servers?name=' + urllib.parse.quote(r'^a\.b\[1\]$'))) == ['a.b[1]']
    assert names(client.get('/v2.1/servers?name=a.b')) == ['axb1', 'a.b[1]']


# -- multi-create ----------------------------------------------------------------------------------

def test_multi_create_names_and_reservation(client, services):
    resp = boot(client, name='many', min_count=2, max_count='3')
    first = resp.json['server']['id']
    servers = client.get('/v2.1/servers/detail').json['servers']
    assert sorted(s['name'] for s in servers) == ['many-1', 'many-2', 'many-3']
    assert first in [s['id'] for s in servers]
    reservation = boot(client, name='batch', max_count=2, return_reservation_id=True).json
    assert set(reservation) == {'reservation_id'} and reservation['reservation_id'].startswith('r-')
    batch = client.get('/v2.1/servers?reservation_id=%s' % reservation['reservation_id']).json['servers']
    assert sorted(s['name'] for s in batch) == ['batch-1', 'batch-2']
    services.tasks.wait()
    assert len(services.driver.list_instances()) == 5


def test_multi_create_takes_what_the_quota_allows_or_nothing(client, services):
    services.conf.set_override('instances', 3, group='quota')
    boot(client, name='one')
    boot(client, name='some', min_count=1, max_count=5)
    assert len(client.get('/v2.1/servers').json['servers']) == 3
    resp = boot(client, name='more', status=403, min_count=2, max_count=2)
    assert resp.headers['Retry-After'] == '0'
    assert 'instances' in fault_message(resp)
    assert len(client.get('/v2.1/servers').json['servers']) == 3
    with services.store.read() as conn:
        assert conn.execute(models.instances.select().where(
            models.instances.c.display_name.like('more%'))).first() is None


def test_ip6_filter_is_for_everyone_from_2_5(client, fleet):
    # below 2.5 a non-admin's ip6 is dropped like any admin-only filter; from 2.5 it filters
    assert names(client.as_user('demo', version='2.4').get('/v2.1/servers?ip6=fd00:dead::1')) == [
        'db-1', 'web-2', 'web-1']
    assert names(client.as_user('demo', version='2.5').get('/v2.1/servers?ip6=fd00:dead::1')) == []
