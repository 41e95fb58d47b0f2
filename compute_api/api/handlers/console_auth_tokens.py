"""GET /os-console-auth-tokens/{token} (admins): where a console token leads.

v2.1 as nova today: below 2.31 a bare 400 (the call served only RDP tokens, and RDP is gone),
from 2.31 every console type. The legacy /v2 endpoint shows every type too (nova Kilo showed only
rdp-html5 tokens and answered 401 for the others; with RDP gone that would show none).
"""
import webob.exc

from compute_api import exception
from compute_api.api import microversion
from compute_api.api import wsgi
from compute_api.api.views import consoles as views
from compute_api.compute import consoles


def show_console_auth_token(req):
    if not req.legacy_v2 and not req.supports(microversion.CONSOLE_AUTH_TOKENS):
        raise exception.Invalid(webob.exc.HTTPBadRequest.explanation)
    req.services.authorize(req.context, 'os_compute_api:os-console-auth-tokens')
    console = consoles.connect_info(req.services.store, req.urlvars['token'])
    return wsgi.json_response(views.connect_info(console))
