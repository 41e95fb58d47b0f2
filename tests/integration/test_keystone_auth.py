"""The server behind a real Keystone: tokens, projects in URLs, Keystone going away and back."""
import pytest

from tests.integration import keystone as keystone_mod
from tests.integration import rest

pytestmark = pytest.mark.integration


def get(server, path, token=None):
    headers = {"X-Auth-Token": token} if token else {}
    return rest.request("GET", server.base_url + path, headers=headers)


def test_member_token_is_accepted_with_and_without_project_in_url(keystone_server, keystone):
    token, body = keystone.token("member")
    project_id = body["project"]["id"]
    for path in ("/v2.1/flavors", f"/v2.1/{project_id}/flavors", f"/v2/{project_id}/flavors"):
        resp = get(keystone_server, path, token)
        assert resp.status == 200, (path, resp.body)
        assert {f["id"] for f in resp.json()["flavors"]} >= {"1", "2"}


def test_missing_token_gets_401_pointing_at_keystone(keystone_server, keystone):
    resp = get(keystone_server, "/v2.1/flavors")
    assert resp.status == 401, resp.body
    assert keystone.auth_url in resp.header("WWW-Authenticate")


def test_token_of_another_project_cannot_use_this_projects_url(keystone_server, keystone):
    token, _ = keystone.token("other_member")
    _, member = keystone.token("member")
    resp = get(keystone_server, f"/v2.1/{member['project']['id']}/flavors", token)
    assert resp.status == 400, resp.body
    assert "badRequest" in resp.json()


def test_user_without_role_gets_no_project_token(keystone):
    with pytest.raises(keystone_mod.KeystoneError, match="HTTP 401"):
        keystone.token("norole")


def test_unscoped_token_is_refused_403(keystone_server, keystone):
    # The no-role user can still authenticate, just not for a project.
    token, body = keystone.token("norole", project=False)
    assert "project" not in body
    resp = get(keystone_server, "/v2.1/flavors", token)
    assert resp.status == 403, resp.body
    assert resp.json()["forbidden"]["code"] == 403


def test_keystone_down_gives_503_and_recovers_after_restart(keystone_server, keystone, request):
    # Taken before the stop but never shown to the server, so it cannot be in its token cache.
    fresh, _ = keystone.token("reader")
    keystone.stop()
    request.addfinalizer(keystone.start)  # leave Keystone running for the next tests
    resp = get(keystone_server, "/v2.1/flavors", fresh)
    assert resp.status == 503, resp.body
    keystone.start()
    resp = get(keystone_server, "/v2.1/flavors", fresh)
    assert resp.status == 200, resp.body
