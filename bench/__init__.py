"""Benchmarks: the real bot against the fake Discord under Discord's rate limits (``make bench``)."""
