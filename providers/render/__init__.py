"""Render: monitoring settings on existing services (health checks, env vars, notifications, log streams).

Programs import the resource classes from `.resources`, where each spec is derived into them.
"""
