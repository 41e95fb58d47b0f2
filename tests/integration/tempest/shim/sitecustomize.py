"""Put on PYTHONPATH for `tempest run` when [service_available] glance = false.

tempest 47 (newest at the time of writing): BaseV2ComputeAdminTest.setup_clients() does
`cls.admin_image_client = cls.os_admin.image_client_v2`, but tempest.clients.Manager only
creates image_client_v2 when glance is available, so every admin compute class dies in
setUpClass with AttributeError: 'Manager' object has no attribute 'image_client_v2'. Only
admin/test_volume.py uses that client, and it skips without cinder, so None is safe.
Remove this shim once the tempest venv's release guards that line.
"""
try:
    import tempest.clients as _clients

    _original = _clients.Manager._set_image_clients

    def _set_image_clients(self):
        _original(self)
        if not hasattr(self, "image_client_v2"):
            self.image_client_v2 = None

    _clients.Manager._set_image_clients = _set_image_clients
except Exception:  # noqa: BLE001 - sitecustomize must never break an unrelated Python process
    pass
