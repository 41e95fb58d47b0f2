"""Benchmarks of compute_api against a bare-WSGI floor (python -m benchmarks.run --help)."""
