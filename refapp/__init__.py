"""The reference app: the plan's Optio backend and frontend as a small Flask app, whose failures can be
switched on and off, so that `lookout gameday` can show that each alert of the plan fires on the failure it
exists for (docs/monitoring-plan.txt; issue #27). It stands in for the user's app; it is never the app."""
