"""The fake's REST API under /api/v10, one module per Discord resource."""
