"""The API's messages to compute hosts: the versioned method table and client (api.py), and the
two transports behind one interface (local.py: in-process, the default; oslo.py: oslo.messaging
when [DEFAULT] transport_url is set)."""
