"""Server actions that change what a server is: resize, rebuild, snapshots, rescue, password,
console output, and the administrators' actions."""
import pytest

from compute_api import context as context_mod
from compute_api import exception
from compute_api.compute import images as compute_images
from compute_api.db import images as db_images
from tests.functional.test_server_actions import IMAGE
from tests.functional.test_server_actions import act
from tests.functional.test_server_actions import boot
from tests.functional.test_server_actions import boot_failing
from tests.functional.test_server_actions import done
from tests.functional.test_server_actions import fault
from tests.functional.test_server_actions import HeldTasks
from tests.functional.test_server_actions import show
from tests.functional.test_server_actions import sts

IMAGE_ALT = 'a2459075-d96c-40d5-893e-577ff92e721c'
PREFIXES = ['/v2.1', '/v2/demo']


@pytest.fixture
def held(services, monkeypatch):
    return HeldTasks(services, monkeypatch)


def image(store, image_id, project='demo'):
    context = context_mod.RequestContext(user_id=project, project_id=project, roles=['member', 'reader'])
    return compute_images.get_image(store, context, image_id)


# -- resize ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('prefix', PREFIXES)
def test_resize_then_confirm(client, services, held, prefix):
    server_id = boot(client, services)
    held.hold()
    resp = act(client, server_id, {'resize': {'flavorRef': '2'}}, prefix=prefix)
    assert resp.body == b''
    assert sts(show(client, server_id)) == ('RESIZE', 'active', 'resize_prep', 1)
    held.release()
    server = show(client, server_id)
    assert sts(server) == ('VERIFY_RESIZE', 'resized', None, 1)
    assert server['flavor']['id'] == '2'
    resp = act(client, server_id, {'confirmResize': None}, status=204, prefix=prefix)
    assert resp.body == b''
    server = show(client, server_id)
    assert sts(server) == ('ACTIVE', 'active', None, 1)
    assert server['flavor']['id'] == '2'
    resp = act(client, server_id, {'revertResize': None}, status=409)
    assert fault(resp)[2] == "Cannot 'revertResize' instance %s while it is in vm_state active" % server_id


def test_resize_then_revert(client, services, held):
    server_id = boot(client, services)
    done(client, services, server_id, {'resize': {'flavorRef': '2', 'OS-DCF:diskConfig': 'AUTO'}})
    held.hold()
    act(client, server_id, {'revertResize': None})
    assert sts(show(client, server_id)) == ('REVERT_RESIZE', 'resized', 'resize_reverting', 1)
    held.release()
    server = show(client, server_id)
    assert sts(server) == ('ACTIVE', 'active', None, 1)
    assert server['flavor']['id'] == '1'
    assert server['OS-DCF:diskConfig'] == 'AUTO'


def test_a_stopped_server_resizes_and_stays_stopped(client, services):
    server_id = boot(client, services)
    done(client, services, server_id, {'os-stop': None})
    assert sts(done(client, services, server_id, {'resize': {'flavorRef': 3}})) == ('VERIFY_RESIZE', 'resized',
                                                                                     None, 4)
    assert sts(done(client, services, server_id, {'revertResize': None})) == ('SHUTOFF', 'stopped', None, 4)
    done(client, services, server_id, {'resize': {'flavorRef': '3'}})
    act(client, server_id, {'confirmResize': None}, status=204)
    server = show(client, server_id)
    assert (server['status'], server['flavor']['id']) == ('SHUTOFF', '3')


@pytest.mark.parametrize('flavor_ref, message', [
    ('1', 'Resize requires a flavor change.'),
    ('999', 'Unable to locate requested flavor.'),
])
def test_resize_to_a_bad_flavor_is_a_400(client, services, flavor_ref, message):
    server_id = boot(client, services)
    resp = act(client, server_id, {'resize': {'flavorRef': flavor_ref}}, status=400)
    assert fault(resp) == ('badRequest', 400, message)
    assert show(client, server_id)['status'] == 'ACTIVE'


@pytest.mark.parametrize('body', [{'resize': {}}, {'resize': {'flavorRef': ''}}, {'resize': None},
                                  {'resize': {'flavorRef': '2', 'OS-DCF:diskConfig': 'SOMETIMES'}}])
def test_a_malformed_resize_is_a_400(client, services, body):
    server_id = boot(client, services)
    assert fault(act(client, server_id, body, status=400))[0] == 'badRequest'


def test_resize_over_the_cores_quota_is_a_403(client, services, conf):
    conf.set_override('cores', 2, group='quota')
    server_id = boot(client, services)
    resp = act(client, server_id, {'resize': {'flavorRef': '4'}}, status=403)
    assert fault(resp)[2] == 'Quota exceeded for cores: Requested 3, but already used 1 of 2 cores'
    assert resp.headers['Retry-After'] == '0'
    done(client, services, server_id, {'resize': {'flavorRef': '3'}})


def test_confirm_of_a_server_not_resized_is_a_409(client, services):
    server_id = boot(client, services)
    resp = act(client, server_id, {'confirmResize': None}, status=409)
    assert fault(resp)[2] == "Cannot 'confirmResize' instance %s while it is in vm_state active" % server_id


# -- rebuild ---------------------------------------------------------------------------------------

REBUILD_KEYS = {'id', 'name', 'status', 'tenant_id', 'user_id', 'metadata', 'hostId', 'image', 'flavor', 'created',
                'updated', 'addresses', 'accessIPv4', 'accessIPv6', 'links', 'progress', 'OS-DCF:diskConfig',
                'adminPass'}


@pytest.mark.parametrize('prefix', PREFIXES)
def test_rebuild_answers_the_server_with_a_new_password(client, services, prefix):
    server_id = boot(client, services, metadata={'old': '1'})
    resp = act(client, server_id, {'rebuild': {
        'imageRef': IMAGE_ALT, 'name': 'rebuilt', 'metadata': {'new': '2'}, 'accessIPv4': '192.0.2.1',
        'accessIPv6': '2001:db8::1', 'OS-DCF:diskConfig': 'AUTO', 'preserve_ephemeral': False,
        'personality': [{'path': '/etc/banner', 'contents': 'aGVsbG8='}]}}, prefix=prefix)
    server = resp.json['server']
    assert set(server) == REBUILD_KEYS
    assert resp.headers['Location'] == server['links'][0]['href']
    assert (server['status'], server['progress'], server['name'], server['metadata']) == (
        'REBUILD', 0, 'rebuilt', {'new': '2'})
    assert server['image']['id'] == IMAGE_ALT
    assert (server['accessIPv4'], server['accessIPv6'], server['OS-DCF:diskConfig']) == (
        '192.0.2.1', '2001:db8::1', 'AUTO')
    assert len(server['adminPass']) == 12
    assert set(server['addresses']['private'][0]) == {'addr', 'version'}
    services.tasks.wait()
    after = show(client, server_id)
    assert sts(after) == ('ACTIVE', 'active', None, 1)
    assert (after['image']['id'], after['metadata']) == (IMAGE_ALT, {'new': '2'})


def test_rebuild_keeps_the_password_given_and_what_it_does_not_name(client, services):
    server_id = boot(client, services, metadata={'old': '1'})
    server = act(client, server_id, {'rebuild': {'imageRef': IMAGE, 'adminPass': 'My-Pass1'}}).json['server']
    assert (server['adminPass'], server['name'], server['metadata']) == ('My-Pass1', 'vm', {'old': '1'})
    services.tasks.wait()


def test_rebuild_hides_the_password_when_passwords_are_not_shown(client, services, conf):
    conf.set_override('enable_instance_password', False)
    server_id = boot(client, services)
    assert 'adminPass' not in act(client, server_id, {'rebuild': {'imageRef': IMAGE}}).json['server']
    services.tasks.wait()


def test_a_stopped_server_is_rebuilt_stopped_and_an_errored_one_active(client, services):
    server_id = boot(client, services)
    done(client, services, server_id, {'os-stop': None})
    assert sts(done(client, services, server_id, {'rebuild': {'imageRef': IMAGE}})) == ('SHUTOFF', 'stopped', None, 4)
    done(client, services, server_id, {'os-start': None})
    server_id = boot_failing(client, services, 'resize')
    done(client, services, server_id, {'resize': {'flavorRef': '2'}})
    assert sts(done(client, services, server_id, {'rebuild': {'imageRef': IMAGE}}))[:3] == ('ACTIVE', 'active', None)


def test_legacy_v2_rebuilds_from_an_image_url(client, services):
    server_id = boot(client, services)
    resp = act(client, server_id, {'rebuild': {'imageRef': 'http://localhost/v2/demo/images/%s' % IMAGE_ALT,
                                               'name': '  spaced  '}}, prefix='/v2/demo')
    assert (resp.json['server']['image']['id'], resp.json['server']['name']) == (IMAGE_ALT, 'spaced')
    services.tasks.wait()


@pytest.mark.parametrize('body, message', [
    ({'rebuild': {'imageRef': '6b4b1b36-6d7e-4e0c-9a9c-3a1b2c3d4e5f'}}, 'Cannot find image for rebuild'),
    ({'rebuild': {}}, None),
    ({'rebuild': {'imageRef': 'not-a-uuid'}}, None),
    ({'rebuild': {'imageRef': IMAGE, 'name': ''}}, None),
    ({'rebuild': {'imageRef': IMAGE, 'personality': [{'path': '/x', 'contents': '!!'}]}}, None),
])
def test_a_bad_rebuild_is_a_400_and_changes_nothing(client, services, body, message):
    server_id = boot(client, services)
    resp = act(client, server_id, body, status=400)
    assert fault(resp)[0] == 'badRequest'
    if message:
        assert fault(resp)[2] == message
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', None, 1)


def test_rebuild_metadata_over_the_quota_is_a_403(client, services, conf):
    conf.set_override('metadata_items', 1, group='quota')
    server_id = boot(client, services)
    resp = act(client, server_id, {'rebuild': {'imageRef': IMAGE, 'metadata': {'a': '1', 'b': '2'}}}, status=403)
    assert fault(resp)[2] == 'Maximum number of metadata items exceeds 1'


# -- snapshots -------------------------------------------------------------------------------------

@pytest.mark.parametrize('prefix', PREFIXES)
def test_create_image_makes_a_saving_image_then_an_active_one(client, services, store, held, prefix):
    server_id = boot(client, services)
    held.hold()
    resp = act(client, server_id, {'createImage': {'name': 'snap', 'metadata': {'purpose': 'test'}}}, prefix=prefix)
    assert resp.body == b''
    location = resp.headers['Location']
    assert location.startswith('http://localhost%s/images/' % prefix)
    image_id = location.rsplit('/', 1)[-1]
    assert show(client, server_id)['OS-EXT-STS:task_state'] == 'image_snapshot'
    assert compute_images.api_status(image(store, image_id)['status']) == 'SAVING'
    held.release()
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', None, 1)
    snapshot = image(store, image_id)
    assert (snapshot['name'], snapshot['status'], snapshot['size']) == ('snap', 'active', 1024 ** 3)
    assert snapshot.properties['purpose'] == 'test'
    assert snapshot.properties['instance_uuid'] == server_id
    assert snapshot.properties['image_type'] == 'snapshot'


def test_a_failed_snapshot_is_an_error_image_and_the_server_goes_on(client, services, store):
    server_id = boot_failing(client, services, 'snapshot')
    resp = act(client, server_id, {'createImage': {'name': 'snap'}})
    services.tasks.wait()
    assert image(store, resp.headers['Location'].rsplit('/', 1)[-1])['status'] == 'killed'
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', None, 1)


def test_create_image_needs_a_name_and_snapshots_allowed(client, services, conf):
    server_id = boot(client, services)
    for body in ({'createImage': {}}, {'createImage': {'name': ''}}, {'createImage': None},
                 {'createImage': {'name': 'x', 'metadata': {'k': 1}}}):
        assert fault(act(client, server_id, body, status=400))[0] == 'badRequest'
    conf.set_override('allow_instance_snapshots', False)
    resp = act(client, server_id, {'createImage': {'name': 'snap'}}, status=400)
    assert fault(resp)[2] == 'Instance snapshots are not permitted at this time.'


def test_create_image_metadata_over_the_quota_is_a_403(client, services, conf):
    conf.set_override('metadata_items', 1, group='quota')
    server_id = boot(client, services)
    resp = act(client, server_id, {'createImage': {'name': 'snap', 'metadata': {'a': '1', 'b': '2'}}}, status=403)
    assert fault(resp)[2] == 'Image metadata limit exceeded'
    assert show(client, server_id)['OS-EXT-STS:task_state'] is None


def test_create_backup_keeps_the_rotation_newest(client, services, store):
    server_id = boot(client, services)
    ids = []
    for index in range(3):
        resp = act(client, server_id, {'createBackup': {'name': 'b%d' % index, 'backup_type': 'daily',
                                                        'rotation': 2}})
        ids.append(resp.headers['Location'].rsplit('/', 1)[-1])
        services.tasks.wait()
    assert [image(store, i)['status'] for i in ids[1:]] == ['active', 'active']
    with pytest.raises(exception.ImageNotFound):
        image(store, ids[0])
    resp = act(client, server_id, {'createBackup': {'name': 'b', 'backup_type': 'daily', 'rotation': '0'}})
    assert 'Location' not in resp.headers
    services.tasks.wait()
    assert fault(act(client, server_id, {'createBackup': {'name': 'b', 'backup_type': 'daily',
                                                          'rotation': -1}}, status=400))[0] == 'badRequest'


# -- rescue ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('prefix', PREFIXES)
def test_rescue_and_unrescue(client, services, prefix):
    server_id = boot(client, services)
    resp = act(client, server_id, {'rescue': None}, status=200, prefix=prefix)
    assert len(resp.json['adminPass']) == 12
    services.tasks.wait()
    assert sts(show(client, server_id)) == ('RESCUE', 'rescued', None, 1)
    assert fault(act(client, server_id, {'os-stop': None}, status=409))[2] == (
        "Cannot 'stop' instance %s while it is in vm_state rescued" % server_id)
    assert sts(done(client, services, server_id, {'unrescue': None}, prefix=prefix)) == ('ACTIVE', 'active', None, 1)


def test_rescue_with_a_password_and_an_image(client, services, conf):
    server_id = boot(client, services)
    resp = act(client, server_id, {'rescue': {'adminPass': 'Resc-ue1', 'rescue_image_ref': IMAGE_ALT}}, status=200)
    assert resp.json == {'adminPass': 'Resc-ue1'}
    services.tasks.wait()
    done(client, services, server_id, {'unrescue': None})
    conf.set_override('enable_instance_password', False)
    assert act(client, server_id, {'rescue': {}}, status=200).json == {}
    services.tasks.wait()


def test_rescue_with_an_unknown_image_is_a_404(client, services):
    server_id = boot(client, services)
    act(client, server_id, {'rescue': {'rescue_image_ref': '6b4b1b36-6d7e-4e0c-9a9c-3a1b2c3d4e5f'}}, status=404)
    assert fault(act(client, server_id, {'rescue': {'bad': 1}}, status=400))[0] == 'badRequest'


# -- password and console --------------------------------------------------------------------------

def test_change_password(client, services, held):
    server_id = boot(client, services)
    held.hold()
    act(client, server_id, {'changePassword': {'adminPass': 'n3w-Pass'}})
    assert sts(show(client, server_id)) == ('PASSWORD', 'active', 'updating_password', 1)
    held.release()
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', None, 1)


@pytest.mark.parametrize('prefix', PREFIXES)
def test_change_password_needs_a_password(client, services, prefix):
    server_id = boot(client, services)
    for body in ({'changePassword': {}}, {'changePassword': None}, {'changePassword': {'adminPass': 1}}):
        assert fault(act(client, server_id, body, status=400, prefix=prefix))[0] == 'badRequest'


@pytest.mark.parametrize('prefix', PREFIXES)
def test_console_output(client, services, prefix):
    server_id = boot(client, services)
    services.driver._instances[server_id]['console'] = 'one\ntwo\x07\nthree'
    url_body = {'os-getConsoleOutput': {}}
    assert act(client, server_id, url_body, status=200, prefix=prefix).json == {'output': 'one\ntwo\nthree'}
    whole = 'one\ntwo\nthree'
    for length, output in ((2, 'two\nthree'), ('1', 'three'), (-1, whole), (0, ''), (None, whole)):
        resp = act(client, server_id, {'os-getConsoleOutput': {'length': length}}, status=200, prefix=prefix)
        assert resp.json == {'output': output}
    for bad in (-2, 'x', 1.5):
        act(client, server_id, {'os-getConsoleOutput': {'length': bad}}, status=400)


def test_console_output_of_a_server_not_on_the_hypervisor_is_a_404(client, services):
    server_id = boot_failing(client, services, 'spawn')
    resp = act(client, server_id, {'os-getConsoleOutput': {}}, status=404)
    assert fault(resp)[2] == 'Guest does not have a console available.'


# -- administrators' actions -----------------------------------------------------------------------

def test_reset_state(client, admin, services):
    server_id = boot(client, services)
    resp = act(client, server_id, {'os-resetState': {'state': 'error'}}, status=403)
    assert fault(resp)[2] == "Policy doesn't allow os_compute_api:os-admin-actions:reset_state to be performed."
    act(admin, server_id, {'os-resetState': {'state': 'error'}})
    assert sts(show(client, server_id))[:3] == ('ERROR', 'error', None)
    act(admin, server_id, {'os-resetState': {'state': 'active'}}, prefix='/v2/admin')
    assert sts(show(client, server_id))[:3] == ('ACTIVE', 'active', None)
    for body in ({'os-resetState': {'state': 'stopped'}}, {'os-resetState': {}}):
        act(admin, server_id, body, status=400)


def test_reset_state_clears_a_task_in_flight(client, admin, services, held):
    server_id = boot(client, services)
    held.hold()
    act(client, server_id, {'os-stop': None})
    act(admin, server_id, {'os-resetState': {'state': 'active'}})
    held.release()
    # The stop's last write found its task gone: the server stays as the reset left it.
    assert sts(show(client, server_id))[:3] == ('ACTIVE', 'active', None)


def test_migrations_find_no_other_host(client, admin, services):
    server_id = boot(client, services)
    no_host = 'No valid host was found. There are not enough hosts available.'
    assert fault(act(admin, server_id, {'migrate': None}, status=400))[2] == no_host
    live = {'host': None, 'block_migration': False, 'disk_over_commit': False}
    assert fault(act(admin, server_id, {'os-migrateLive': live}, status=400))[2] == no_host
    resp = act(admin, server_id, {'os-migrateLive': dict(live, host='elsewhere')}, status=400)
    assert fault(resp)[2] == 'Compute host elsewhere could not be found.'
    resp = act(admin, server_id, {'os-migrateLive': dict(live, host='compute-api', block_migration='auto')},
               status=400)
    resp = act(admin, server_id, {'os-migrateLive': dict(live, host='compute-api')}, status=400)
    assert fault(resp)[2] == 'Unable to migrate instance (%s) to current host (compute-api).' % server_id
    act(admin, server_id, {'os-migrateLive': {'host': None}}, status=400)
    assert fault(act(client, server_id, {'migrate': None}, status=403))[0] == 'forbidden'
    assert show(client, server_id)['status'] == 'ACTIVE'


def test_force_delete_deletes_and_restore_has_nothing_to_restore(client, services):
    server_id = boot(client, services)
    resp = act(client, server_id, {'restore': None}, status=409)
    assert fault(resp)[2] == "Cannot 'restore' instance %s while it is in vm_state active" % server_id
    act(client, server_id, {'forceDelete': None})
    services.tasks.wait()
    client.get('/v2.1/servers/%s' % server_id, status=404)
    assert services.driver.list_instances() == []


# -- shelve ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('prefix', PREFIXES)
def test_shelve_offloads_then_unshelve_brings_the_server_back(client, admin, services, store, held, prefix):
    server_id = boot(client, services)
    held.hold()
    act(client, server_id, {'shelve': None}, prefix=prefix)
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', 'shelving', 1)
    held.release()
    server = admin.get('/v2.1/servers/%s' % server_id).json['server']
    assert sts(server) == ('SHELVED_OFFLOADED', 'shelved_offloaded', None, 0)
    assert server['OS-EXT-SRV-ATTR:host'] is None
    assert services.driver.list_instances() == []
    with store.read() as conn:
        snapshots = db_images.list_images(conn, 'demo', False, {'name': 'vm-shelved'})
    assert [(i['status'], image(store, i['id']).properties['instance_uuid']) for i in snapshots] == [
        ('active', server_id)]
    resp = act(client, server_id, {'resize': {'flavorRef': '2'}}, status=409)
    assert fault(resp)[2] == "Cannot 'resize' instance %s while it is in vm_state shelved_offloaded" % server_id
    # Offloaded, it has no host: nova's host check answers first.
    assert fault(act(client, server_id, {'os-start': None}, status=409))[2] == 'Instance %s is not ready' % server_id
    act(client, server_id, {'unshelve': None}, prefix=prefix)
    assert show(client, server_id)['OS-EXT-STS:task_state'] == 'unshelving'
    held.release()
    server = admin.get('/v2.1/servers/%s' % server_id).json['server']
    assert sts(server) == ('ACTIVE', 'active', None, 1)
    assert server['OS-EXT-SRV-ATTR:host'] == 'compute-api'
    assert services.driver.list_instances() == [server_id]
    with pytest.raises(exception.ImageNotFound):
        image(store, snapshots[0]['id'])


def test_shelve_state_rules(client, admin, services):
    server_id = boot(client, services)
    resp = act(client, server_id, {'unshelve': None}, status=409)
    assert fault(resp)[2] == "Cannot 'unshelve' instance %s while it is in vm_state active" % server_id
    resp = act(client, server_id, {'shelveOffload': None}, status=403)
    assert fault(resp)[0] == 'forbidden'
    done(client, services, server_id, {'pause': None})
    assert done(client, services, server_id, {'shelve': None})['status'] == 'SHELVED_OFFLOADED'
    for body, name in (({'shelve': None}, 'shelve'), ({'pause': None}, 'pause')):
        resp = act(client, server_id, body, status=409)
        assert fault(resp)[2] == "Cannot '%s' instance %s while it is in vm_state shelved_offloaded" % (
            name, server_id)
    resp = act(admin, server_id, {'shelveOffload': None}, status=409)
    assert fault(resp)[2] == "Cannot 'shelveOffload' instance %s while it is in vm_state shelved_offloaded" % (
        server_id)
    client.delete('/v2.1/servers/%s' % server_id)
    services.tasks.wait()
    client.get('/v2.1/servers/%s' % server_id, status=404)


def test_a_failed_shelve_leaves_the_server_as_it_was(client, services, store):
    server_id = boot_failing(client, services, 'snapshot')
    server = done(client, services, server_id, {'shelve': None})
    assert (server['status'], server['OS-EXT-STS:task_state']) == ('ACTIVE', None)


# -- migrations (os-migrations) ------------------------------------------------------------------

def migrations(admin, query=''):
    return admin.get('/v2.1/os-migrations' + query).json['migrations']


def test_resizes_are_listed_as_migrations(client, admin, services):
    server_id = boot(client, services)
    done(client, services, server_id, {'resize': {'flavorRef': '2'}})
    (migration,) = migrations(admin)
    assert set(migration) == {'id', 'status', 'instance_uuid', 'source_node', 'source_compute', 'dest_node',
                              'dest_compute', 'dest_host', 'old_instance_type_id', 'new_instance_type_id',
                              'created_at', 'updated_at'}
    assert (migration['instance_uuid'], migration['status'], migration['source_compute'],
            migration['dest_compute'], migration['source_node']) == (
        server_id, 'finished', 'compute-api', 'compute-api', 'fake-mini')
    assert isinstance(migration['old_instance_type_id'], int)
    assert migration['new_instance_type_id'] != migration['old_instance_type_id']
    act(client, server_id, {'confirmResize': None}, status=204)
    assert migrations(admin)[0]['status'] == 'confirmed'
    done(client, services, server_id, {'resize': {'flavorRef': '3'}})
    done(client, services, server_id, {'revertResize': None})
    assert [m['status'] for m in migrations(admin, '?instance_uuid=%s' % server_id)] == ['reverted', 'confirmed']
    assert [m['status'] for m in migrations(admin, '?status=confirmed')] == ['confirmed']
    assert migrations(admin, '?host=elsewhere') == []
    assert len(migrations(admin, '?host=compute-api')) == 2


def test_a_failed_resize_is_an_error_migration_and_only_admins_list(client, admin, services):
    server_id = boot_failing(client, services, 'resize')
    done(client, services, server_id, {'resize': {'flavorRef': '2'}})
    assert [m['status'] for m in migrations(admin)] == ['error']
    assert fault(client.get('/v2.1/os-migrations', status=403))[0] == 'forbidden'


def test_inject_network_info_is_an_admins_no_op(client, admin, services):
    server_id = boot(client, services)
    assert fault(act(client, server_id, {'injectNetworkInfo': None}, status=403))[0] == 'forbidden'
    act(admin, server_id, {'injectNetworkInfo': None})
    act(admin, server_id, {'injectNetworkInfo': None}, prefix='/v2/admin')
    assert sts(show(client, server_id)) == ('ACTIVE', 'active', None, 1)
