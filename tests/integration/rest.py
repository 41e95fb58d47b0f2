"""A tiny JSON-over-HTTP client on the standard library, for talking to Keystone and the server.

The helpers must work in the project's own Python without any OpenStack client library, so that
setting up Keystone or polling the server never depends on the venvs they are testing.
"""
import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body) if self.body else None

    def header(self, name):
        return self.headers.get(name.lower())


def request(method, url, body=None, headers=None, timeout=10.0):
    """One HTTP request; HTTP error statuses are returned, not raised (connection errors are)."""
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    headers.setdefault("Accept", "application/json")
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return Response(resp.status, {k.lower(): v for k, v in resp.headers.items()},
                            resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return Response(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())


def wait_until_up(url, timeout, is_alive=lambda: True, expect=(200,)):
    """Poll GET url until it answers one of `expect`; bounded by `timeout` seconds.

    `is_alive` lets the caller stop early when the process it started has already died.
    Returns the seconds it took; raises TimeoutError (or RuntimeError for a dead process).
    """
    started = time.monotonic()
    last = "no answer"
    while time.monotonic() - started < timeout:
        if not is_alive():
            raise RuntimeError(f"process serving {url} exited before answering ({last})")
        try:
            resp = request("GET", url, timeout=2)
            if resp.status in expect:
                return time.monotonic() - started
            last = f"HTTP {resp.status}"
        except (OSError, urllib.error.URLError) as exc:
            last = str(exc)
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s (last: {last})")


def wait_until_down(host, port, timeout=10.0):
    """Wait until nothing accepts connections on host:port (so the port can be reused)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                pass
        except OSError:
            return
        time.sleep(0.1)
    raise TimeoutError(f"{host}:{port} still accepts connections after {timeout:.0f} s")


def free_port(host="127.0.0.1"):
    """A port nothing listens on right now (the kernel's pick, so parallel runs do not collide)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]
