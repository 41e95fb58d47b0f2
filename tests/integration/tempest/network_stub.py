"""A stand-in "network" endpoint so tempest runs the compute classes that need neutron = true.

tempest skips every class that sets create_default_network (servers, metadata, delete, server
actions, groups, ...) unless [service_available] neutron = true. With
create_isolated_networks = false, the only thing it then asks of the network service is, when
deleting its dynamic projects, the project's default security group:
GET /v2.0/security-groups?... -- an empty list means "nothing to delete". Every other request
gets a 404 and is logged, so a test that really needs neutron shows up in the log and fails
rather than passing against a fake.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    log_file = None

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path.split("?")[0].rstrip("/") == "/v2.0/security-groups":
            self._answer(200, {"security_groups": []})
        else:
            self._not_found()

    def _not_found(self):
        self._answer(404, {"NeutronError": {"type": "HTTPNotFound",
                                            "message": "not served by the test stub"}})

    do_POST = do_PUT = do_DELETE = _not_found

    def log_message(self, fmt, *args):
        with open(self.log_file, "a") as out:
            out.write("%s %s\n" % (self.log_date_time_string(), fmt % args))


def start(port, log_file):
    """Serve on 127.0.0.1:port in a daemon thread; returns the server (call .shutdown())."""
    handler = type("Handler", (_Handler,), {"log_file": str(log_file)})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="network-stub").start()
    return server
