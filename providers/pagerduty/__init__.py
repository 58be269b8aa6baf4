"""PagerDuty (REST API v2) resources: escalation policies, services, Events API v2 integrations, people.

Programs import the resource classes from `.resources`, where each spec is derived into them.
"""
