"""Serving the lab beyond one process: nginx in front of replicas that share a Redis cache (see serve.py)."""
