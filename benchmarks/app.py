"""The compute application as benchmarked: compute_api.wsgi's application (configured from
$COMPUTE_API_CONFIG), answering a request that carries X-Bench-Count-SQL with the database round
trips it made (X-Bench-DB-Round-Trips) and, of those, the queries (X-Bench-SQL-Queries); see
benchmarks/round_trips.py. Only the probe requests before a timed load ask, so the counting costs
the timed requests nothing but a header lookup. Only the benchmark loads this module: the product
code carries no counter.

    gunicorn -w 2 benchmarks.app:application
"""
from benchmarks import round_trips
from compute_api import wsgi

application = round_trips.count_round_trips(wsgi.application)
