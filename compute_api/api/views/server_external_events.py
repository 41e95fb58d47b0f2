"""Documents of POST /os-server-external-events (nova 2.1)."""
from compute_api.compute import external_events

# nova's code for each event's outcome.
CODES = {external_events.ACCEPTED: 200, external_events.NO_SERVER: 404, external_events.NO_HOST: 422}


def events(requested, outcomes):
    """Each event as it was sent, with its code and its status: completed when accepted, failed
    otherwise (nova's words, whatever status the sender gave)."""
    return {'events': [dict(event, code=CODES[outcome],
                            status='completed' if outcome == external_events.ACCEPTED else 'failed')
                       for event, outcome in zip(requested, outcomes)]}


def status(outcomes):
    """200 when every event was accepted, 207 Multi-Status when some were not."""
    return 200 if all(outcome == external_events.ACCEPTED for outcome in outcomes) else 207
