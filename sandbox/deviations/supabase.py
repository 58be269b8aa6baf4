"""Where the Supabase Management API departs from its official spec, or where the sandbox had to choose
(rows of the table in sandbox/deviations; sources in docs/vendors/supabase.md)."""

from __future__ import annotations

from .base import Deviation

SUPABASE = [
    Deviation(
        "supabase-error-bodies",
        "supabase",
        "*",
        'every error answers `{"message"}`; a failing SQL query is a 400 (`Failed to run sql query: ERROR:  '
        "<SQLSTATE>: ...`), an unreachable database a 544, a project the token cannot see a 403",
        "the spec declares error statuses without bodies, and neither 400 nor 544 on the query endpoints",
        "supabase/cli apps/cli-e2e/fixtures (recorded staging answers); supabase/supabase issues 44125, "
        "47448; supabase/cli issues 6392, 6091",
    ),
    Deviation(
        "supabase-429-body",
        "supabase",
        "check",
        'a throttled request answers 429 `{"message": "Too Many Requests"}` with the `x-ratelimit-*` '
        "headers; no `Retry-After`",
        "no real 429 was found recorded; the headers and the limit are documented",
        "supabase.com/docs/reference/api (Rate limits); supabase/cli apps/cli-e2e scenarios",
    ),
    Deviation(
        "supabase-backup-time",
        "supabase",
        "check",
        "a project is backed up every day at 02:00 UTC and the last 7 days are listed, newest first",
        "Supabase documents daily backups and their retention, not the hour nor the order",
        "supabase/supabase apps/docs/content/guides/platform/backups.mdx",
    ),
    Deviation(
        "supabase-sql-model",
        "supabase",
        "check",
        "the read-only SQL runs on `pg_catalog.pg_stat_activity`, `extensions.pg_stat_statements` and "
        "settings only; any other relation is `42P01`",
        "the sandbox models the statistics a monitor reads, not the application's tables",
        "postgresql.org/docs/current/monitoring-stats.html; pgstatstatements.html",
    ),
]
