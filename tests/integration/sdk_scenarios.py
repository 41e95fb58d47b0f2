"""openstacksdk scenarios, run with the `clients` venv's python by tests/integration/test_clients.py.

    python sdk_scenarios.py SCENARIO --cloud NAME [--params JSON]

Prints one JSON document of what the SDK saw (returned objects and every compute request it
made, with the microversion the server echoed); the pytest side makes the assertions. An SDK
exception ends the script with a traceback and exit status 1.
"""
import argparse
import json
import sys
import uuid

import openstack


def record_requests(proxy):
    """Wrap proxy.request so every compute call is listed with its status and echoed version."""
    seen = []
    original = proxy.request

    def request(url, method, *args, **kwargs):
        response = original(url, method, *args, **kwargs)
        entry = {"method": method, "url": url, "status": response.status_code,
                 "params": kwargs.get("params") or {},
                 "version": response.headers.get("OpenStack-API-Version"),
                 "legacy_version": response.headers.get("X-OpenStack-Nova-API-Version")}
        if method == "GET" and response.headers.get("Content-Type", "").startswith(
                "application/json"):
            body = response.json()
            lists = [value for value in body.values() if isinstance(value, list)]
            if lists and isinstance(body, dict) and len(body) <= 2:
                entry["items"] = len(lists[0])
        seen.append(entry)
        return response

    proxy.request = request
    return seen


def boot(compute, name, image_id, flavor_id, wait=120):
    server = compute.create_server(name=name, image_id=image_id, flavor_id=flavor_id,
                                   networks="none")
    return compute.wait_for_server(server, status="ACTIVE", interval=1, wait=wait)


def discover(conn, params):
    data = conn.compute.get_endpoint_data()
    return {"url": data.url, "catalog_url": data.catalog_url,
            "api_version": list(data.api_version) if data.api_version else None,
            "min_microversion": list(data.min_microversion) if data.min_microversion else None,
            "max_microversion": list(data.max_microversion) if data.max_microversion else None}


def lifecycle(conn, params):
    compute = conn.compute
    calls = record_requests(compute)
    flavors = {f.id: f.name for f in compute.flavors()}
    name = f"sdk-{uuid.uuid4().hex[:8]}"
    server = boot(compute, name, params["image_id"], params["flavor_id"])
    out = {"flavors": flavors, "created": {"id": server.id, "status": server.status}}
    found = compute.find_server(name, ignore_missing=False)
    out["found_id"] = found.id
    renamed = compute.update_server(server, name=name + "-renamed")
    out["renamed"] = compute.get_server(server.id).name
    out["update_returned"] = renamed.name
    compute.set_server_metadata(server, purpose="itest", owner="sdk")
    out["metadata"] = compute.get_server_metadata(server).metadata
    compute.reboot_server(server, "SOFT")
    out["after_reboot"] = compute.wait_for_server(
        compute.get_server(server.id), status="ACTIVE", interval=1, wait=120).status
    compute.delete_server(server)
    compute.wait_for_delete(server, interval=1, wait=120)
    out["after_delete"] = compute.find_server(server.id, ignore_missing=True)
    out["calls"] = calls
    return out


def paginate(conn, params):
    compute = conn.compute
    created = [boot(compute, f"page-{i}-{uuid.uuid4().hex[:6]}", params["image_id"],
                    params["flavor_id"]).id for i in range(params.get("servers", 0))]
    try:
        calls = record_requests(compute)
        listing = {"servers": lambda: compute.servers(details=True, limit=params["limit"]),
                   "flavors": lambda: compute.flavors(details=True, limit=params["limit"]),
                   "images": lambda: compute.images(details=True, limit=params["limit"])}
        ids = [item.id for item in listing[params["resource"]]()]
        # a copy: the clean-up below makes calls of its own (find_server lists by name)
        return {"ids": ids, "created": created, "calls": list(calls)}
    finally:
        for server_id in created:
            compute.delete_server(server_id, ignore_missing=True)
        for server_id in created:
            server = compute.find_server(server_id, ignore_missing=True)
            if server is not None:
                compute.wait_for_delete(server, interval=1, wait=120)


def versions_in_use(conn, params):
    """Flavors, servers and one server's life under the cloud's pinned compute version."""
    compute = conn.compute
    calls = record_requests(compute)
    flavors = [f.id for f in compute.flavors()]
    server = boot(compute, f"pin-{uuid.uuid4().hex[:8]}", params["image_id"], params["flavor_id"])
    listed = [s.id for s in compute.servers()]
    shown = compute.get_server(server.id)
    compute.delete_server(server)
    compute.wait_for_delete(server, interval=1, wait=120)
    return {"flavors": flavors, "server_id": server.id, "listed": listed,
            "shown": {"id": shown.id, "status": shown.status,
                      "flavor": dict(shown.flavor) if shown.flavor else None},
            "calls": calls}


def bad_token(conn, params):
    try:
        list(conn.compute.flavors())
    except openstack.exceptions.HttpException as exc:
        return {"status": exc.status_code, "message": str(exc)}
    return {"status": None}


SCENARIOS = {"discover": discover, "lifecycle": lifecycle, "paginate": paginate,
             "versions_in_use": versions_in_use, "bad_token": bad_token}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--cloud", required=True)
    parser.add_argument("--params", default="{}")
    args = parser.parse_args()
    conn = openstack.connect(cloud=args.cloud)
    json.dump(SCENARIOS[args.scenario](conn, json.loads(args.params)), sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
