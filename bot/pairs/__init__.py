"""Pairs: Hearth for two to six people in their own DM, without a server."""
