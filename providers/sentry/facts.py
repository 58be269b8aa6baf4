"""What Sentry's plans keep, each fact with its source: the one place Lookout knows them.

No API answer shows an organization's retention (`GET /organizations/{org}/` has none; the value leaves
Sentry's servers only in Relay's project config, `eventRetention`), so a plan states it when it differs.
"""

from __future__ import annotations

# Spans (and transactions) are kept 30 days on every plan, Developer to Enterprise, beyond that only a
# sample (13 months on Business and up); Team and Business plans billed by transactions keep transactions
# 90 days. Sentry docs, "Data Retention Periods" (getsentry/sentry-docs PR 15341, 2025-10; until 2025-11
# the page gave 90 days on Team and Business). The Events API clamps nothing for `dataset=spans`: older
# spans are simply missing from the counts.
SPAN_RETENTION_DAYS = 30
