"""POST /servers/{server_id}/action: one handler per action, chosen by the body's single key.

A body without exactly one key is nova's 400 "Malformed request body"; an unknown key is 400
"There is no such action: <key>". Each handler then reads as every other: the server (another
project's is a 404 like a random id's), the action's policy with the server's owner as target,
the body's schema, the compute layer, the response (202 and no body unless nova says otherwise).
"""
import uuid as uuid_mod

from compute_api import exception
from compute_api.api import common
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.handlers import remote_consoles
from compute_api.api.schemas import server_actions as schemas
from compute_api.api.views import links
from compute_api.api.views import server_actions as views
from compute_api.compute import security_groups as compute_security_groups
from compute_api.compute import server_actions as compute


def _shown_password(req, password):
    """Passwords go back to the caller only with [DEFAULT] enable_instance_password."""
    return password if req.services.conf.enable_instance_password else None


def _accepted():
    return wsgi.empty_response(202)


def _image_location(req, image_id):
    return {'Location': links.resource_links(req, 'images', image_id)[0]['href']}


# -- power -----------------------------------------------------------------------------------------

def reboot(req):
    instance = common.authorized_instance(req, 'os_compute_api:servers:reboot')
    reboot_type = validation.validate_body(req, schemas.reboot)['reboot']['type'].upper()
    compute.reboot(req.services, req.context, instance, reboot_type)
    return _accepted()


def stop(req):
    instance = common.authorized_instance(req, 'os_compute_api:servers:stop')
    compute.stop(req.services, req.context, instance)
    return _accepted()


def start(req):
    instance = common.authorized_instance(req, 'os_compute_api:servers:start')
    compute.start(req.services, req.context, instance)
    return _accepted()


def pause(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-pause-server:pause')
    compute.pause(req.services, req.context, instance)
    return _accepted()


def unpause(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-pause-server:unpause')
    compute.unpause(req.services, req.context, instance)
    return _accepted()


def suspend(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-suspend-server:suspend')
    compute.suspend(req.services, req.context, instance)
    return _accepted()


def resume(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-suspend-server:resume')
    compute.resume(req.services, req.context, instance)
    return _accepted()


# -- lock ------------------------------------------------------------------------------------------

def lock(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-lock-server:lock')
    compute.lock(req.services, req.context, instance)
    return _accepted()


def unlock(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-lock-server:unlock')
    if compute.locked_by_someone_else(req.context, instance):
        # An owner may not lift an administrator's lock (nor the reverse) without this rule.
        req.services.authorize(req.context, 'os_compute_api:os-lock-server:unlock:unlock_override',
                               common.server_owner(instance))
    compute.unlock(req.services, req.context, instance)
    return _accepted()


# -- password, rescue, console -----------------------------------------------------------------------

def change_password(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-admin-password')
    password = validation.validate_body(req, schemas.change_password)['changePassword']['adminPass']
    compute.change_password(req.services, req.context, instance, password)
    return _accepted()


def rescue(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-rescue')
    body = validation.validate_body(req, schemas.rescue)['rescue'] or {}
    password = compute.rescue(req.services, req.context, instance, body.get('adminPass'),
                              body.get('rescue_image_ref'))
    return wsgi.json_response(views.rescued(_shown_password(req, password)))


def unrescue(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-unrescue')
    compute.unrescue(req.services, req.context, instance)
    return _accepted()


def console_output(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-console-output')
    length = validation.validate_body(req, schemas.console_output)['os-getConsoleOutput'].get('length')
    output = compute.console_output(req.services, instance, None if length is None else int(length))
    return wsgi.json_response(views.console_output(output))


# -- resize ----------------------------------------------------------------------------------------

def resize(req):
    instance = common.authorized_instance(req, 'os_compute_api:servers:resize')
    body = validation.validate_body(req, schemas.resize)['resize']
    disk_config = body.get('OS-DCF:diskConfig')
    compute.resize(req.services, req.context, instance, str(body['flavorRef']),
                   None if disk_config is None else disk_config == 'AUTO')
    return _accepted()


def confirm_resize(req):
    instance = common.authorized_instance(req, 'os_compute_api:servers:confirm_resize')
    compute.confirm_resize(req.services, req.context, instance)
    return wsgi.empty_response(204)


def revert_resize(req):
    instance = common.authorized_instance(req, 'os_compute_api:servers:revert_resize')
    compute.revert_resize(req.services, req.context, instance)
    return _accepted()


# -- rebuild and images ----------------------------------------------------------------------------

def rebuild(req):
    instance = common.authorized_instance(req, 'os_compute_api:servers:rebuild')
    body = validation.validate_body(req, schemas.rebuild)['rebuild']
    disk_config = body.get('OS-DCF:diskConfig')
    request = compute.RebuildRequest(
        image_ref=_image_id(body['imageRef']),
        name=_name(body['name']) if 'name' in body else None,
        admin_password=body.get('adminPass'),
        metadata=body.get('metadata'),
        personality=[(item['path'], validation.decode_base64(item['contents']))
                     for item in body.get('personality') or []],
        access_ip_v4=body.get('accessIPv4'),
        access_ip_v6=body.get('accessIPv6'),
        auto_disk_config=None if disk_config is None else disk_config == 'AUTO',
        preserve_ephemeral=common.bool_from_string(body.get('preserve_ephemeral', False)),
    )
    server, password = compute.rebuild(req.services, req.context, instance, request)
    document = views.rebuilt(req, server, _shown_password(req, password))
    return wsgi.json_response(document, status=202, headers={'Location': document['server']['links'][0]['href']})


def _image_id(ref):
    """An image id, or the id at the end of an image URL (legacy v2)."""
    image_id = ref.rstrip('/').rsplit('/', 1)[-1]
    try:
        uuid_mod.UUID(image_id)
    except ValueError:
        raise exception.InvalidImageRef() from None
    return image_id


def _name(name):
    """Legacy v2 names may carry surrounding spaces, which nova strips; nothing left is a 400."""
    name = name.strip()
    if not name:
        raise exception.ValidationError('Server name is not defined')
    return name


def create_image(req):
    instance = common.authorized_instance(req, 'os_compute_api:servers:create_image')
    body = validation.validate_body(req, schemas.create_image)['createImage']
    image_id = compute.create_image(req.services, req.context, instance, _name(body['name']),
                                    body.get('metadata') or {})
    return wsgi.empty_response(202, headers=_image_location(req, image_id))


def create_backup(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-create-backup')
    body = validation.validate_body(req, schemas.create_backup)['createBackup']
    rotation = int(body['rotation'])
    image_id = compute.create_backup(req.services, req.context, instance, _name(body['name']),
                                     body['backup_type'], rotation, body.get('metadata') or {})
    # nova names the image only when it is kept.
    return wsgi.empty_response(202, headers=_image_location(req, image_id) if rotation > 0 else None)


# -- administration --------------------------------------------------------------------------------

def reset_state(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-admin-actions:reset_state')
    state = validation.validate_body(req, schemas.reset_state)['os-resetState']['state']
    compute.reset_state(req.services, instance, state)
    return _accepted()


def inject_network_info(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-admin-actions:inject_network_info')
    compute.inject_network_info(req.services, instance)
    return _accepted()


def migrate(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-migrate-server:migrate')
    compute.migrate(req.services, req.context, instance)
    return _accepted()


def live_migrate(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-migrate-server:migrate_live')
    body = validation.validate_body(req, schemas.migrate_live)['os-migrateLive']
    compute.live_migrate(req.services, req.context, instance, body['host'])
    return _accepted()


def force_delete(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-deferred-delete:force')
    compute.force_delete(req.services, req.context, instance)
    return _accepted()


def restore(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-deferred-delete:restore')
    compute.restore(req.services, req.context, instance)
    return _accepted()


# -- shelve ----------------------------------------------------------------------------------------

def shelve(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-shelve:shelve')
    compute.shelve(req.services, req.context, instance)
    return _accepted()


def shelve_offload(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-shelve:shelve_offload')
    compute.shelve_offload(req.services, req.context, instance)
    return _accepted()


def unshelve(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-shelve:unshelve')
    compute.unshelve(req.services, req.context, instance)
    return _accepted()


# -- security groups -------------------------------------------------------------------------------

def _security_group_name(req, action):
    """The group name of an addSecurityGroup/removeSecurityGroup body, checked as nova does."""
    body = req.json_body()[action]
    if not isinstance(body, dict):
        raise exception.Invalid('Missing parameter dict')
    if 'name' not in body:
        raise exception.Invalid('Security group not specified')
    name = body['name']
    if not isinstance(name, str) or not name.strip():
        raise exception.Invalid('Security group name cannot be empty')
    return name


def add_security_group(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-security-groups:add')
    name = _security_group_name(req, 'addSecurityGroup')
    compute_security_groups.add_to_server(req.services.store, req.context, instance, name)
    return _accepted()


def remove_security_group(req):
    instance = common.authorized_instance(req, 'os_compute_api:os-security-groups:remove')
    name = _security_group_name(req, 'removeSecurityGroup')
    compute_security_groups.remove_from_server(req.services.store, req.context, instance, name)
    return _accepted()


ACTIONS = {
    'reboot': reboot, 'os-stop': stop, 'os-start': start, 'pause': pause, 'unpause': unpause,
    'suspend': suspend, 'resume': resume, 'lock': lock, 'unlock': unlock, 'changePassword': change_password,
    'rescue': rescue, 'unrescue': unrescue, 'os-getConsoleOutput': console_output, 'resize': resize,
    'confirmResize': confirm_resize, 'revertResize': revert_resize, 'rebuild': rebuild,
    'createImage': create_image, 'createBackup': create_backup, 'os-resetState': reset_state,
    'migrate': migrate, 'os-migrateLive': live_migrate, 'forceDelete': force_delete, 'restore': restore,
    'shelve': shelve, 'shelveOffload': shelve_offload, 'unshelve': unshelve,
    'injectNetworkInfo': inject_network_info,
    'addSecurityGroup': add_security_group, 'removeSecurityGroup': remove_security_group,
    **remote_consoles.ACTIONS,
}


def server_action(req):
    return common.action_handler(req, ACTIONS)(req)
