"""os-quota-sets and os-quota-class-sets: nova's documents, updates (all or nothing, never below
usage unless forced), validation on v2.1 and legacy v2, policy, and the limits taking effect on
server creates."""
import pytest
import sqlalchemy as sa

from compute_api.db import models
from tests.functional.test_servers import boot
from tests.functional.test_servers import fault_message

DEFAULTS = {'instances': 10, 'cores': 20, 'ram': 51200, 'floating_ips': 10, 'fixed_ips': -1, 'metadata_items': 128,
            'injected_files': 5, 'injected_file_content_bytes': 10240, 'injected_file_path_bytes': 255,
            'key_pairs': 100, 'security_groups': 10, 'security_group_rules': 20, 'server_groups': 10,
            'server_group_members': 10}


def quota_set(client, project='demo', suffix=''):
    return client.get('/v2.1/os-quota-sets/%s%s' % (project, suffix)).json['quota_set']


def update(admin, values, project='demo', status=200, prefix='/v2.1'):
    return admin.put('%s/os-quota-sets/%s' % (prefix, project), {'quota_set': values}, status=status)


def fault(resp):
    return resp.json['badRequest']['message']


# -- show, detail, defaults ----------------------------------------------------------------------

@pytest.mark.parametrize('path', ['/v2.1/os-quota-sets/demo', '/v2.1/demo/os-quota-sets/demo',
                                  '/v2/demo/os-quota-sets/demo'])
def test_a_projects_quota_set_is_novas_document_with_the_defaults(client, path):
    assert client.get(path).json == {'quota_set': dict(DEFAULTS, id='demo')}


def test_defaults_are_the_default_class_not_a_projects_own_limits(client, admin):
    update(admin, {'instances': 3})
    admin.put('/v2.1/os-quota-class-sets/default', {'quota_class_set': {'cores': 30}})
    assert client.get('/v2.1/os-quota-sets/demo/defaults').json == {
        'quota_set': dict(DEFAULTS, id='demo', cores=30)}
    assert quota_set(client)['instances'] == 3


def test_defaults_are_open_to_any_project(client):
    assert quota_set(client, 'anyone', '/defaults') == dict(DEFAULTS, id='anyone')


def test_detail_shows_limit_usage_and_nothing_reserved(client, services):
    boot(client, flavorRef='3')
    detail = quota_set(client, suffix='/detail')
    assert detail['id'] == 'demo'
    assert detail['instances'] == {'limit': 10, 'in_use': 1, 'reserved': 0}
    assert detail['cores'] == {'limit': 20, 'in_use': 2, 'reserved': 0}
    assert detail['ram'] == {'limit': 51200, 'in_use': 4096, 'reserved': 0}
    assert detail['key_pairs'] == {'limit': 100, 'in_use': 0, 'reserved': 0}
    assert set(detail) == set(DEFAULTS) | {'id'}


def test_readers_see_their_project_only(client):
    reader = client.as_user('reader', 'demo')
    assert quota_set(reader)['instances'] == 10
    for suffix in ('', '/detail'):
        resp = client.get('/v2.1/os-quota-sets/other%s' % suffix, status=403)
        assert 'os_compute_api:os-quota-sets:' in resp.json['forbidden']['message']


def test_admins_read_any_project(admin):
    assert quota_set(admin, 'demo') == dict(DEFAULTS, id='demo')


# -- update and delete -------------------------------------------------------------------------

def test_admin_update_answers_the_whole_set_without_id_and_keeps_it(client, admin):
    resp = update(admin, {'instances': 5, 'cores': '12', 'injected_file_path_bytes': 128})
    expected = dict(DEFAULTS, instances=5, cores=12, injected_file_path_bytes=128)
    assert resp.json == {'quota_set': expected}
    assert quota_set(client) == dict(expected, id='demo')
    assert quota_set(client.as_user('bob', 'other'), 'other') == dict(DEFAULTS, id='other')


def test_updating_again_replaces_the_limit(client, admin):
    update(admin, {'instances': 5})
    update(admin, {'instances': 6})
    assert quota_set(client)['instances'] == 6


def test_a_limit_below_usage_is_refused_unless_forced(client, admin, services):
    boot(client)
    boot(client)
    resp = update(admin, {'instances': 1}, status=400)
    assert fault(resp) == 'Quota limit 1 for instances must be greater than or equal to already used and reserved 2.'
    assert quota_set(client)['instances'] == 10
    update(admin, {'instances': 1, 'force': True})
    assert quota_set(client)['instances'] == 1


def test_an_update_is_all_or_nothing(client, admin, services):
    boot(client)
    update(admin, {'cores': 15, 'instances': 0}, status=400)
    assert quota_set(client) == dict(DEFAULTS, id='demo')


def test_unlimited_is_minus_one(client, admin):
    update(admin, {'instances': -1, 'ram': '-1'})
    limits = quota_set(client)
    assert (limits['instances'], limits['ram']) == (-1, -1)


@pytest.mark.parametrize('body, message', [
    ({'quota_set': {'instances': -2}}, 'Invalid input for field/attribute instances. Value: -2. '
                                       '-2 is less than the minimum of -1'),
    ({'quota_set': {'instances': 'ten'}}, "Invalid input for field/attribute instances. Value: ten. "
                                          "'ten' does not match '^-?[0-9]+$'"),
    ({'quota_set': {'instances': 1.5}}, "Invalid input for field/attribute instances. Value: 1.5. "
                                        "1.5 is not of type 'integer', 'string'"),
    ({'quota_set': {'instances': True}}, "Invalid input for field/attribute instances. Value: True. "
                                         "True is not of type 'integer', 'string'"),
    ({'quota_set': {'bogus': 1}}, "Invalid input for field/attribute quota_set. Value: {'bogus': 1}. "
                                  "Additional properties are not allowed ('bogus' was unexpected)"),
    ({'quota_set': {'force': 'maybe'}}, None),
    ({'quota_set': 5}, None),
    ({'instances': 5}, "'quota_set' is a required property"),
])
def test_v21_update_validation(client, admin, body, message):
    resp = admin.put('/v2.1/os-quota-sets/demo', body, status=400)
    if message:
        assert fault(resp) == message
    assert quota_set(client) == dict(DEFAULTS, id='demo')


def test_a_string_below_minus_one_is_refused(admin):
    resp = update(admin, {'instances': '-5'}, status=400)
    assert fault(resp) == 'Quota limit -5 for instances must be -1 or greater.'


@pytest.mark.parametrize('path, key', [('/v2.1/os-quota-sets/demo', 'quota_set'),
                                       ('/v2.1/os-quota-class-sets/default', 'quota_class_set'),
                                       ('/v2/admin/os-quota-sets/demo', 'quota_set')])
def test_a_limit_past_the_columns_range_is_refused(client, admin, path, key):
    resp = admin.put(path, {key: {'cores': 2 ** 31}}, status=400)
    assert fault(resp) == 'Quota limit 2147483648 for cores must be less than or equal to 2147483647.'
    admin.put(path, {key: {'cores': str(2 ** 31 - 1)}})
    assert quota_set(client)['cores'] == 2 ** 31 - 1


@pytest.mark.parametrize('values, message', [
    ({'instances': 5, 'bogus': 1, 'other': 2}, 'Bad key(s) bogus,other in quota_set'),
    ({'instances': 'ten'}, 'Invalid input received: instances must be an integer'),
    ({'cores': 1.5}, 'Invalid input received: cores must be an integer'),
])
def test_legacy_v2_update_validation(client, admin, values, message):
    resp = update(admin, values, prefix='/v2/admin', status=400)
    assert fault(resp) == message
    assert quota_set(client) == dict(DEFAULTS, id='demo')


def test_legacy_v2_takes_ids_and_string_values(client, admin):
    resp = update(admin, {'id': 'demo', 'tenant_id': 'demo', 'instances': '4', 'cores': ''}, prefix='/v2/admin')
    assert resp.json['quota_set']['instances'] == 4
    assert quota_set(client)['cores'] == 20
    resp = admin.put('/v2/admin/os-quota-sets/demo', {'quota': {}}, status=400)
    assert fault(resp) == 'quota_set not specified'


def test_updates_and_deletes_are_admin_only(client):
    for resp in (update(client, {'instances': 50}, status=403),
                 client.delete('/v2.1/os-quota-sets/demo', status=403)):
        assert resp.json['forbidden']['message'].startswith("Policy doesn't allow os_compute_api:os-quota-sets:")
    assert quota_set(client)['instances'] == 10


def test_delete_reverts_to_the_defaults(client, admin, services):
    update(admin, {'instances': 2, 'cores': 2})
    resp = admin.delete('/v2.1/os-quota-sets/demo', status=202)
    assert resp.body == b''
    assert quota_set(client) == dict(DEFAULTS, id='demo')
    with services.store.read() as conn:
        assert conn.execute(sa.select(models.quotas)).first() is None


# -- quota classes -------------------------------------------------------------------------------

def test_quota_class_show_and_update(admin):
    assert admin.get('/v2.1/os-quota-class-sets/default').json == {'quota_class_set': dict(DEFAULTS, id='default')}
    resp = admin.put('/v2.1/os-quota-class-sets/default', {'quota_class_set': {'instances': 50, 'ram': '-1'}})
    assert resp.json == {'quota_class_set': dict(DEFAULTS, instances=50, ram=-1)}
    assert admin.get('/v2.1/os-quota-class-sets/default').json['quota_class_set']['instances'] == 50


def test_another_class_starts_from_the_options_not_the_default_class(admin):
    admin.put('/v2.1/os-quota-class-sets/default', {'quota_class_set': {'instances': 50}})
    admin.put('/v2.1/os-quota-class-sets/gold', {'quota_class_set': {'cores': 100}})
    assert admin.get('/v2.1/os-quota-class-sets/gold').json == {
        'quota_class_set': dict(DEFAULTS, id='gold', cores=100)}


@pytest.mark.parametrize('prefix, body, message', [
    ('/v2.1', {'quota_class_set': {'bogus': 1}}, "Invalid input for field/attribute quota_class_set. Value: "
                                                 "{'bogus': 1}. Additional properties are not allowed ('bogus' was "
                                                 "unexpected)"),
    ('/v2.1', {'quota_class_set': {'instances': -2}}, None),
    ('/v2.1', {'quota_class_set': {'force': True}}, None),
    ('/v2/admin', {'quota_class_set': {'bogus': 1}}, 'Bad key(s) bogus in quota_set'),
    ('/v2/admin', {'quota_class_set': {'instances': None}}, 'Invalid input received: instances must be an integer'),
    ('/v2/admin', {}, 'quota_class_set not specified'),
])
def test_quota_class_update_validation(admin, prefix, body, message):
    resp = admin.put(prefix + '/os-quota-class-sets/default', body, status=400)
    if message:
        assert fault(resp) == message
    assert admin.get('/v2.1/os-quota-class-sets/default').json['quota_class_set'] == dict(DEFAULTS, id='default')


def test_quota_class_name_is_at_most_255_characters(admin):
    resp = admin.put('/v2.1/os-quota-class-sets/' + 'x' * 256, {'quota_class_set': {'cores': 1}}, status=400)
    assert fault(resp) == 'quota_class_name has more than 255 characters.'


def test_quota_classes_are_admin_only(client):
    client.get('/v2.1/os-quota-class-sets/default', status=403)
    client.put('/v2.1/os-quota-class-sets/default', {'quota_class_set': {'cores': 1}}, status=403)


# -- the limits take effect ----------------------------------------------------------------------

@pytest.mark.parametrize('prefix', ['/v2.1', '/v2/demo'])
def test_over_the_instances_quota_is_novas_403(client, admin, services, prefix):
    update(admin, {'instances': 2})
    boot(client)
    boot(client)
    resp = boot(client, prefix, status=403)
    assert resp.headers['Retry-After'] == '0'
    assert resp.json == {'forbidden': {
        'code': 403, 'message': 'Quota exceeded for instances: Requested 1, but already used 2 of 2 instances'}}


def test_over_the_cores_quota_names_cores(client, services):
    boot(client, flavorRef='5')
    boot(client, flavorRef='5')
    resp = boot(client, flavorRef='5', status=403)
    assert fault_message(resp) == 'Quota exceeded for cores: Requested 8, but already used 16 of 20 cores'


def test_the_default_class_applies_to_every_project(client, admin, services):
    admin.put('/v2.1/os-quota-class-sets/default', {'quota_class_set': {'instances': 1}})
    boot(client)
    boot(client, status=403)
    boot(client.as_user('bob', 'other'))


def test_raising_the_quota_lets_creates_through_again(client, admin, services):
    update(admin, {'instances': 1})
    boot(client)
    boot(client, status=403)
    update(admin, {'instances': -1})
    boot(client)
    assert quota_set(client, suffix='/detail')['instances'] == {'limit': -1, 'in_use': 2, 'reserved': 0}


def test_a_downsized_server_holds_its_old_flavor_until_the_resize_is_confirmed(client, admin, services):
    update(admin, {'cores': 10})
    server_id = boot(client, flavorRef='5').json['server']['id']  # 8 vCPUs
    services.tasks.wait()
    client.post('/v2.1/servers/%s/action' % server_id, {'resize': {'flavorRef': '1'}}, status=202)
    services.tasks.wait()
    assert client.get('/v2.1/servers/%s' % server_id).json['server']['status'] == 'VERIFY_RESIZE'
    resp = boot(client, flavorRef='4', status=403)  # 4 more: a revert would need the 8 back
    assert fault_message(resp) == 'Quota exceeded for cores: Requested 4, but already used 8 of 10 cores'
    client.post('/v2.1/servers/%s/action' % server_id, {'confirmResize': None}, status=204)
    boot(client, flavorRef='4')
