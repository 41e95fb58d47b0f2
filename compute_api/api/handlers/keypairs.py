"""GET/POST /os-keypairs, GET/DELETE /os-keypairs/{keypair_name} (nova's os-keypairs at 2.1).

Key pairs are a user's own: the policy target is that user (the caller, or from 2.10 the user an
admin names with `user_id`), and another user's key pair of the same name is simply not found.
Create answers 200 (201 from 2.2, with private_key when the pair was generated here); delete
answers 202 (204 from 2.2). The key pair's type is shown and can be chosen from 2.2.
"""
from compute_api.api import microversion
from compute_api.api import validation
from compute_api.api import wsgi
from compute_api.api.schemas import keypairs as schemas
from compute_api.api.views import keypairs as views
from compute_api.compute import keypairs as compute_keypairs


def _authorize(req, action, user_id=None):
    """The user whose key pairs the request concerns, once the policy allows it."""
    context = req.context
    if user_id is None and req.supports(microversion.KEYPAIR_USER):
        user_id = req.GET.get('user_id')
    user_id = user_id or context.user_id
    req.services.authorize(context, 'os_compute_api:os-keypairs:%s' % action,
                           {'user_id': user_id, 'project_id': context.project_id})
    return user_id


def list_keypairs(req):
    user_id = _authorize(req, 'index')
    keypairs = compute_keypairs.list_keypairs(req.services.store, user_id)
    return wsgi.json_response(views.index(keypairs, req.supports(microversion.KEYPAIR_TYPE)))


def create_keypair(req):
    body = validation.validate_body(req, schemas.create)['keypair']
    user_id = _authorize(req, 'create', body.get('user_id'))
    keypair, private_key = compute_keypairs.create_keypair(req.services.store, req.services.conf, req.context,
                                                           user_id, body['name'], body.get('public_key'),
                                                           body.get('type', compute_keypairs.SSH))
    typed = req.supports(microversion.KEYPAIR_TYPE)
    return wsgi.json_response(views.created(keypair, private_key, typed), status=201 if typed else 200)


def show_keypair(req):
    user_id = _authorize(req, 'show')
    keypair = compute_keypairs.get_keypair(req.services.store, user_id, req.urlvars['keypair_name'])
    return wsgi.json_response(views.detail(keypair, req.supports(microversion.KEYPAIR_TYPE)))


def delete_keypair(req):
    user_id = _authorize(req, 'delete')
    compute_keypairs.delete_keypair(req.services.store, user_id, req.urlvars['keypair_name'])
    return wsgi.empty_response(204 if req.supports(microversion.KEYPAIR_TYPE) else 202)
