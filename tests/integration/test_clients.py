"""The real clients (openstacksdk, openstack CLI, nova CLI) against the real server process.

Each scenario runs against the noauth server (clouds.yaml admin_token `user:project`) and,
where it matters, against the keystone server (password auth with the real Keystone, compute
endpoint from the catalog). The clients come from the `clients` venv, newest releases.
(`nova image-list` is not among them: novaclient dropped its image commands in 2018.)
"""
import time
import uuid
from dataclasses import dataclass

import pytest

from tests.integration import clients as clients_mod
from tests.integration import keystone as keystone_mod
from tests.integration import rest

pytestmark = pytest.mark.integration

SEEDED_IMAGE_ID = "155d900f-4e14-4e4c-a73d-069cbf4541e6"


@dataclass
class Target:
    """One server as a client sees it: a clouds.yaml entry plus raw-HTTP credentials."""
    kind: str
    server: object
    cloud: str
    headers: dict
    project_id: str

    def get(self, path, **kwargs):
        return rest.request("GET", self.server.base_url + path, headers=self.headers, **kwargs)


@pytest.fixture(scope="module")
def clients(clients_venv, tmp_path_factory):
    return clients_mod.Clients(clients_venv, tmp_path_factory.mktemp("clients"))


@pytest.fixture(scope="module")
def noauth(noauth_server, clients):
    project_id = uuid.uuid4().hex
    token = f"admin:{project_id}"
    cloud = clients.add_cloud("noauth", clients_mod.noauth_cloud(
        f"{noauth_server.base_url}/v2.1", token))
    return Target("noauth", noauth_server, cloud, {"X-Auth-Token": token}, project_id)


@pytest.fixture(scope="module")
def with_keystone(keystone_server, keystone, clients):
    account = keystone_mod.ACCOUNTS["member"]
    cloud = clients.add_cloud("keystone", clients_mod.keystone_cloud(keystone, account))
    token, body = keystone.token("member")
    return Target("keystone", keystone_server, cloud, {"X-Auth-Token": token},
                  body["project"]["id"])


@pytest.fixture(params=["noauth", "keystone"])
def target(request):
    return request.getfixturevalue("noauth" if request.param == "noauth" else "with_keystone")


@pytest.fixture
def seeds(target):
    """The seeded image and flavor "1" as the server lists them (names are the server's)."""
    image = target.get(f"/v2.1/images/{SEEDED_IMAGE_ID}")
    flavor = target.get("/v2.1/flavors/1")
    assert image.status == 200 and flavor.status == 200, (image.body, flavor.body)
    return {"image_id": SEEDED_IMAGE_ID, "image_name": image.json()["image"]["name"],
            "flavor_id": "1", "flavor_name": flavor.json()["flavor"]["name"]}


def ok(result):
    assert result.returncode == 0, result.describe()
    return result


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# -- version discovery ---------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/v2.1", "/v2.1/", "/v2.1/{project}", "/v2/"])
def test_version_documents_need_no_token(target, path):
    resp = rest.request("GET", target.server.base_url + path.format(project=target.project_id))
    assert resp.status == 200, resp.body
    body = resp.json()
    if path == "/":
        assert [v["id"] for v in body["versions"]] == ["v2.0", "v2.1"]
        for version in body["versions"]:
            self_link = [link["href"] for link in version["links"] if link["rel"] == "self"]
            assert rest.request("GET", self_link[0]).status == 200, self_link
        return
    version = body["version"]
    if path == "/v2/":
        assert (version["id"], version["version"], version["min_version"]) == ("v2.0", "", "")
    else:
        assert version["id"] == "v2.1"
        assert version["min_version"] == "2.1"
        assert version["version"] == target.server.max_microversion()
    assert any(link["rel"] == "self" for link in version["links"])


def test_sdk_discovers_the_microversion_range(target, clients):
    seen = ok(clients.sdk("discover", target.cloud)).json()
    top = [int(part) for part in target.server.max_microversion().split(".")]
    assert seen["min_microversion"] == [2, 1]
    assert seen["max_microversion"] == top
    assert seen["url"].rstrip("/").startswith(f"{target.server.base_url}/v2.1")


# -- openstacksdk --------------------------------------------------------------------------
def test_sdk_server_lifecycle(target, clients, seeds):
    seen = ok(clients.sdk("lifecycle", target.cloud, image_id=seeds["image_id"],
                          flavor_id=seeds["flavor_id"])).json()
    assert seeds["flavor_id"] in seen["flavors"]
    assert seen["created"]["status"] == "ACTIVE"
    assert seen["found_id"] == seen["created"]["id"]
    assert seen["renamed"].endswith("-renamed")
    assert seen["metadata"] == {"purpose": "itest", "owner": "sdk"}
    assert seen["after_reboot"] == "ACTIVE"
    assert seen["after_delete"] is None
    assert all(call["status"] < 500 for call in seen["calls"]), seen["calls"]


def _pages(calls, resource):
    return [call for call in calls if call["method"] == "GET"
            and call["url"].split("?")[0].rstrip("/").endswith(f"/{resource}/detail")]


@pytest.mark.parametrize("resource", ["servers", "flavors", "images"])
def test_sdk_follows_pagination_links(noauth, clients, resource):
    # servers: a project of its own holding exactly three; flavors and images: what is seeded
    project_id = uuid.uuid4().hex
    cloud = clients.add_cloud(f"pager-{resource}", clients_mod.noauth_cloud(
        f"{noauth.server.base_url}/v2.1", f"admin:{project_id}"))
    headers = {"X-Auth-Token": f"admin:{project_id}"}
    seen = ok(clients.sdk("paginate", cloud, resource=resource, limit=2,
                          servers=3 if resource == "servers" else 0,
                          image_id=SEEDED_IMAGE_ID, flavor_id="1")).json()
    if resource == "servers":
        expected = seen["created"]
    else:
        everything = rest.request("GET", f"{noauth.server.base_url}/v2.1/{resource}",
                                  headers=headers)
        expected = [item["id"] for item in everything.json()[resource]]
    assert sorted(seen["ids"]) == sorted(expected)
    pages = _pages(seen["calls"], resource)
    assert len(pages) >= 2, pages
    assert all(page["items"] <= 2 for page in pages), pages
    assert pages[-1]["items"] == 0, "the SDK's last request (after the last marker) is empty"
    for previous, following in zip(pages, pages[1:]):
        assert following["params"].get("marker"), following
    assert len(seen["ids"]) == sum(page["items"] for page in pages)


@pytest.mark.parametrize("pin", ["2.1", "max"])
def test_sdk_pinned_microversion(noauth, clients, pin):
    version = noauth.server.max_microversion() if pin == "max" else "2.1"
    cloud = clients.add_cloud(f"pinned-{pin}", dict(
        clients_mod.noauth_cloud(f"{noauth.server.base_url}/v2.1",
                                 noauth.headers["X-Auth-Token"]),
        compute_api_version=version))
    seen = ok(clients.sdk("versions_in_use", cloud, image_id=SEEDED_IMAGE_ID,
                          flavor_id="1")).json()
    assert seen["server_id"] in seen["listed"]
    assert seen["shown"]["status"] == "ACTIVE"
    echoed = {call["version"] for call in seen["calls"]}
    assert echoed == {f"compute {version}"}, seen["calls"]
    # below 2.47 a server's flavor is a reference, from 2.47 on a copy of the flavor
    major, minor = (int(part) for part in version.split("."))
    flavor_key = "original_name" if (major, minor) >= (2, 47) else "id"
    assert flavor_key in seen["shown"]["flavor"], seen["shown"]


def test_sdk_against_v2(noauth, clients):
    endpoint = f"{noauth.server.base_url}/v2/{noauth.project_id}"
    cloud = clients.add_cloud("legacy-v2", dict(
        clients_mod.noauth_cloud(endpoint, noauth.headers["X-Auth-Token"]),
        compute_api_version="2"))
    seen = ok(clients.sdk("versions_in_use", cloud, image_id=SEEDED_IMAGE_ID,
                          flavor_id="1")).json()
    assert "1" in seen["flavors"]
    assert seen["server_id"] in seen["listed"]
    assert all(call["url"].startswith(endpoint) or not call["url"].startswith("http")
               for call in seen["calls"])
    # v2.0 has no microversions: nothing is echoed
    assert {call["version"] for call in seen["calls"]} == {None}, seen["calls"]


# -- openstack CLI -------------------------------------------------------------------------
def test_osc_flavor_list(target, clients, seeds):
    flavors = ok(clients.openstack(target.cloud, "flavor", "list", "-f", "json")).json()
    by_id = {flavor["ID"]: flavor["Name"] for flavor in flavors}
    assert {"1", "2", "3", "4", "5"} <= set(by_id)
    assert by_id["1"] == seeds["flavor_name"]


def test_osc_server_lifecycle(target, clients, seeds):
    name = unique("osc")
    osc = lambda *args: clients.openstack(target.cloud, *args)  # noqa: E731
    created = ok(osc("server", "create", "--image", seeds["image_name"], "--flavor",
                     seeds["flavor_name"], "--wait", "-f", "json", name)).json()
    assert created["status"] == "ACTIVE"
    listed = ok(osc("server", "list", "-f", "json")).json()
    assert [s["Status"] for s in listed if s["ID"] == created["id"]] == ["ACTIVE"]
    shown = ok(osc("server", "show", name, "-f", "json")).json()
    assert (shown["id"], shown["name"]) == (created["id"], name)
    ok(osc("server", "set", "--property", "purpose=itest", name))
    shown = ok(osc("server", "show", name, "-f", "json")).json()
    assert shown["properties"] == {"purpose": "itest"}
    ok(osc("server", "reboot", "--wait", name))
    assert ok(osc("server", "show", name, "-f", "json")).json()["status"] == "ACTIVE"
    ok(osc("server", "delete", "--wait", name))
    gone = osc("server", "show", name)
    assert gone.returncode == 1, gone.describe()


def test_osc_and_nova_cli_console_urls(target, clients, seeds, nova):
    name = unique("console")
    osc = lambda *args: clients.openstack(target.cloud, *args)  # noqa: E731
    ok(osc("server", "create", "--image", seeds["image_name"], "--flavor", seeds["flavor_name"],
           "--wait", name))
    shown = ok(osc("console", "url", "show", "--novnc", "-f", "json", name)).json()
    assert shown["type"] == "novnc"
    assert shown["url"].startswith("http://127.0.0.1:6080/vnc_auto.html?path=%3Ftoken%3D"), shown
    nova_shown = ok(nova("get-vnc-console", name, "novnc")).stdout
    assert "http://127.0.0.1:6080/vnc_auto.html?path=%3Ftoken%3D" in nova_shown, nova_shown
    refused = osc("console", "url", "show", "--spice", name)  # [spice] enabled is false
    assert refused.returncode == 1 and "Unavailable console type spice-html5." in refused.stderr, \
        refused.describe()
    ok(osc("server", "delete", "--wait", name))


def test_osc_absolute_limits(target, clients):
    limits = ok(clients.openstack(target.cloud, "limits", "show", "--absolute",
                                  "-f", "json")).json()
    # OSC shows the SDK's attribute names (max_total_instances for maxTotalInstances, ...)
    by_name = {limit["Name"]: limit["Value"] for limit in limits}
    assert by_name["max_total_instances"] == 10
    assert by_name["max_total_cores"] == 20
    assert by_name["max_total_ram_size"] == 51200
    assert isinstance(by_name["total_instances_used"], int)


# -- nova CLI ------------------------------------------------------------------------------
def nova_for(target, keystone=None):
    """nova CLI arguments and environment for `target`."""
    if target.kind == "noauth":
        # admin_token: send this token to this endpoint, authenticate nowhere. novaclient still
        # insists on an auth URL (never contacted) and a project.
        args = ["--os-auth-type", "admin_token", "--os-token", target.headers["X-Auth-Token"],
                "--os-endpoint", f"{target.server.base_url}/v2.1"]
        return args, {"OS_AUTH_URL": "http://127.0.0.1:9/v3", "OS_PROJECT_ID": target.project_id}
    account = keystone_mod.ACCOUNTS["member"]
    return [], {"OS_AUTH_URL": keystone.auth_url, "OS_USERNAME": account.username,
                "OS_PASSWORD": account.password, "OS_PROJECT_NAME": account.project,
                "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default",
                "OS_REGION_NAME": keystone_mod.REGION}


@pytest.fixture
def nova(target, clients, request):
    keystone = request.getfixturevalue("keystone") if target.kind == "keystone" else None
    args, env = nova_for(target, keystone)
    return lambda *more: clients.nova(*args, *more, env=env)


def test_nova_cli_server_lifecycle(nova, seeds, target):
    flavors = ok(nova("flavor-list")).stdout
    assert seeds["flavor_name"] in flavors
    name = unique("nova")
    # `nova boot --image X` looks X up in Glance's own API (GET <image endpoint>/v2/images/X),
    # which a deployment without Glance does not have; the block device form names the image
    # for the compute API alone (nova's image-backed boot: source=image, dest=local).
    boot = ["boot", "--block-device",
            f"source=image,id={seeds['image_id']},dest=local,bootindex=0",
            "--flavor", seeds["flavor_id"], "--poll", name]
    top = tuple(int(part) for part in target.server.max_microversion().split("."))
    if top >= (2, 37):  # --nic none is 2.37's; below it no networks means the default ones
        boot[-2:-2] = ["--nic", "none"]
    ok(nova(*boot))
    assert name in ok(nova("list")).stdout
    shown = ok(nova("show", name)).stdout
    assert "ACTIVE" in shown
    ok(nova("delete", name))
    # novaclient's delete does not wait for the server to go
    for _ in range(30):
        if name not in ok(nova("list")).stdout:
            break
        time.sleep(1)
    else:
        pytest.fail(f"{name} still listed after delete")


def test_nova_cli_version_list(nova, target):
    listed = ok(nova("version-list")).stdout
    assert "v2.1" in listed and target.server.max_microversion() in listed


# -- errors --------------------------------------------------------------------------------
def test_not_found_names_exit_1_with_the_clients_message(target, clients, nova):
    missing = unique("no-such")
    shown = clients.openstack(target.cloud, "server", "show", missing)
    assert shown.returncode == 1, shown.describe()
    assert f"No Server found for {missing}" in shown.stderr, shown.describe()
    flavor = clients.openstack(target.cloud, "flavor", "show", missing)
    assert flavor.returncode == 1, flavor.describe()
    assert f"No Flavor found for {missing}" in flavor.stderr, flavor.describe()
    nova_shown = nova("show", missing)
    assert nova_shown.returncode == 1, nova_shown.describe()
    assert f"No server with a name or ID of '{missing}' exists" in nova_shown.stderr, \
        nova_shown.describe()


def test_wrong_token_is_refused_with_401(with_keystone, clients):
    endpoint = f"{with_keystone.server.base_url}/v2.1"
    resp = rest.request("GET", endpoint + "/flavors", headers={"X-Auth-Token": "not-a-token"})
    assert resp.status == 401, resp.body
    assert resp.header("WWW-Authenticate"), resp.headers
    cloud = clients.add_cloud("wrong-token", clients_mod.noauth_cloud(endpoint, "not-a-token"))
    seen = ok(clients.sdk("bad_token", cloud)).json()
    assert seen["status"] == 401, seen
    listed = clients.openstack(cloud, "flavor", "list")
    assert listed.returncode == 1, listed.describe()
    assert "401" in listed.stderr or "Unauthorized" in listed.stderr, listed.describe()
