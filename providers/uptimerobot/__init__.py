"""UptimeRobot API v3 resources.

Programs import the resource classes from `.resources`, where each spec is derived into them.
"""
