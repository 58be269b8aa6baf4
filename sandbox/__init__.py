"""Local, API-compatible sandbox for the vendors Lookout manages (UptimeRobot first).

One Flask app serves every vendor under its own path prefix (``/uptimerobot/v3``), plus a control API
under ``/_control`` that tests use to reset data, move the virtual clock, inject faults and read counters.
"""
