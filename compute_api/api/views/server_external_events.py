"""Documents of POST /os-server-external-events (nova 2.1)."""


def events(requested, outcomes):
    """Each event as it was sent, with its code and its status: completed when accepted, failed
    otherwise (nova's words, whatever status the sender gave)."""
    return {'events': [dict(event, code=code, status='completed' if code == 200 else 'failed')
                       for event, code in zip(requested, outcomes)]}


def status(outcomes):
    """200 when every event was accepted, 207 Multi-Status when some were not."""
    return 200 if all(code == 200 for code in outcomes) else 207
