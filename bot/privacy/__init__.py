"""Privacy: export, erasure, retention, server purge and the registries features add themselves to."""
