"""The read-only SQL the Management API runs for a project (operation `v1-read-only-query`, `POST
/v1/projects/{ref}/database/query/read-only`: "Run a sql query as supabase_read_only_user"), over what
the sandbox models of its Postgres: the statistics views `pg_catalog.pg_stat_activity` and
`extensions.pg_stat_statements` (where Supabase installs it) and `current_setting()`/`SHOW` of its
settings.

A query is parsed as Postgres (sqlglot) and run on SQLite holding those views. What Postgres would refuse
is refused with its SQLSTATE and message, in the API's error text (sandbox/supabase/errors.py):
* anything but a read (INSERT, CREATE TABLE, ...; also a data-modifying WITH): `25006: cannot execute
  <command> in a read-only transaction`, as the read-only role's transaction answers;
* a relation that is not modelled, or not schema-qualified outside `pg_catalog` (which Postgres always
  searches first; the operation asks that "all entity references must be schema qualified"): `42P01:
  relation "<name>" does not exist`;
* bad syntax: `42601: syntax error at or near "<token>"`; an unknown column: `42703`.
Rows come back as a JSON array of objects keyed by column in SELECT order, numbers as numbers (a recorded
`count(*)` came back as `[{"tenants":5}]`); several statements answer with the last one's rows.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterable
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

Doc = dict[str, Any]
IMPLICIT_SCHEMA = "pg_catalog"
ACTIVITY = ("pg_catalog", "pg_stat_activity")
STATEMENTS = ("extensions", "pg_stat_statements")
ACTIVITY_COLUMNS = (
    "datid", "datname", "pid", "usename", "application_name", "client_addr", "backend_start",
    "state", "wait_event_type", "wait_event", "backend_type", "query",
)  # fmt: skip
STATEMENT_COLUMNS = (
    "userid", "dbid", "toplevel", "queryid", "query", "calls", "total_exec_time", "min_exec_time",
    "max_exec_time", "mean_exec_time", "stddev_exec_time", "rows",
)  # fmt: skip
# Processes every Postgres runs beside its client sessions; pg_stat_activity lists them too, with no state.
BACKGROUND = (
    "autovacuum launcher", "logical replication launcher", "background writer", "checkpointer", "walwriter",
)  # fmt: skip
WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Merge)
# Words a Postgres statement may start with (its grammar's commands; the ones a monitor might send first).
STARTS = frozenset(
    [
        "SELECT",
        "WITH",
        "VALUES",
        "TABLE",
        "SHOW",
        "EXPLAIN",
        "INSERT",
        "UPDATE",
        "DELETE",
        "MERGE",
        "CREATE",
        "DROP",
        "ALTER",
        "TRUNCATE",
        "GRANT",
        "REVOKE",
        "VACUUM",
        "ANALYZE",
        "SET",
        "RESET",
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "COPY",
        "COMMENT",
        "REFRESH",
        "CALL",
        "DO",
        "LOCK",
        "(",
    ]
)
logging.getLogger("sqlglot").setLevel(logging.ERROR)  # SHOW parses as a bare command, which it warns of


class SqlError(Exception):
    def __init__(self, sqlstate: str, message: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.message = message


def settings(project: Doc) -> dict[str, str]:
    """What `current_setting()` and `SHOW` read (text, as Postgres returns them)."""
    return {
        "max_connections": str(project["db"]["max_connections"]),
        "superuser_reserved_connections": "3",
        "server_version": "17.4",
        "timezone": "UTC",
    }


def run(project: Doc, query: str, parameters: list[Any] | None = None) -> list[Doc]:
    statements = _parse(query)
    rows: list[Doc] = []
    database = _database(project)
    try:
        for statement in statements:
            rows = _execute(database, project, statement, parameters or [])
    finally:
        database.close()
    return rows


def _parse(query: str) -> list[exp.Expr]:
    first = (query.split() or [""])[0].rstrip(";").upper()
    if first and first not in STARTS:  # Postgres stops at the first word that starts no statement
        raise SqlError("42601", f'syntax error at or near "{query.split()[0]}"')
    try:
        parsed = [s for s in sqlglot.parse(query, read="postgres") if s is not None]
    except ParseError as error:
        near = (error.errors[0].get("highlight") if error.errors else None) or first
        raise SqlError("42601", f'syntax error at or near "{near}"') from None
    if not parsed:
        raise SqlError("42601", "syntax error at end of input")
    return parsed


def _command(statement: exp.Expr) -> str:
    """The command a read-only transaction names when it refuses the statement."""
    if isinstance(statement, exp.Command):
        return str(statement.this).upper()
    kind = statement.args.get("kind")
    return f"{statement.key.upper()} {kind.upper()}" if isinstance(kind, str) else statement.key.upper()


def _check(statement: exp.Expr) -> None:
    if isinstance(statement, exp.Command):
        if str(statement.this).upper() == "SHOW":
            return
        raise SqlError("25006", f"cannot execute {_command(statement)} in a read-only transaction")
    if not isinstance(statement, exp.Query):
        raise SqlError("25006", f"cannot execute {_command(statement)} in a read-only transaction")
    for write in statement.find_all(*WRITES):
        raise SqlError("25006", f"cannot execute {_command(write)} in a read-only transaction")
    ctes = {cte.alias_or_name for cte in statement.find_all(exp.CTE)}
    for table in statement.find_all(exp.Table):
        if not table.db and table.name in ctes:
            continue
        schema = table.db or IMPLICIT_SCHEMA
        if (schema, table.name) not in (ACTIVITY, STATEMENTS):
            shown = f"{table.db}.{table.name}" if table.db else table.name
            raise SqlError("42P01", f'relation "{shown}" does not exist')


def _bound(statement: exp.Expr, parameters: list[Any]) -> exp.Expr:
    """`$1`, `$2`, ... replaced by the request's `parameters`, as values."""

    def bind(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Parameter) and str(node.name).isdigit():
            index = int(node.name)
            if not 1 <= index <= len(parameters):
                raise SqlError("42P02", f"there is no parameter ${index}")
            return exp.convert(parameters[index - 1])
        return node

    return statement.transform(bind)


def _execute(
    database: sqlite3.Connection, project: Doc, statement: exp.Expr, parameters: list[Any]
) -> list[Doc]:
    _check(statement)
    if isinstance(statement, exp.Command):  # SHOW name
        name = statement.expression.name.strip().lower() if statement.expression else ""
        known = settings(project)
        if name not in known:
            raise SqlError("42704", f'unrecognized configuration parameter "{name}"')
        return [{name: known[name]}]
    try:
        cursor = database.execute(_named(_bound(statement, parameters)).sql(dialect="sqlite"))
    except sqlite3.Error as error:
        raise _translated(error) from None
    names = [column[0] for column in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _named(statement: exp.Expr) -> exp.Expr:
    """Output columns named as Postgres names them: an unaliased column by its name, a function call by
    the function's name (`count`), a cast by what it casts, anything else `?column?`."""
    selects = [statement] if isinstance(statement, exp.Select) else list(statement.find_all(exp.Select))[:1]
    for select in selects:
        select.set("expressions", [_aliased(e) for e in select.expressions])
    return statement


def _aliased(expression: exp.Expr) -> exp.Expr:
    if isinstance(expression, exp.Alias | exp.Star) or (
        isinstance(expression, exp.Column) and isinstance(expression.this, exp.Star)
    ):
        return expression
    return exp.alias_(expression, _column_name(expression), quoted=True)


def _column_name(expression: exp.Expr) -> str:
    if isinstance(expression, exp.Cast):
        return _column_name(expression.this)
    if isinstance(expression, exp.Column):
        return expression.name
    if isinstance(expression, exp.Anonymous):
        return str(expression.this).lower()
    if isinstance(expression, exp.Func):
        return expression.sql_name().lower()
    return "?column?"


def _translated(error: sqlite3.Error) -> SqlError:
    text = str(error)
    column = re.match(r"no such column: (.+)", text)
    if column:
        return SqlError("42703", f'column "{column[1]}" does not exist')
    function = re.match(r"no such function: (.+)", text)
    if function:
        return SqlError("42883", f"function {function[1].lower()}() does not exist")
    return SqlError("42601", text)


def _database(project: Doc) -> sqlite3.Connection:
    database = sqlite3.connect(":memory:")
    known = settings(project)
    database.create_function("current_setting", 1, lambda name: known.get(str(name).lower()))
    for schema in ("pg_catalog", "extensions"):
        database.execute(f"ATTACH DATABASE ':memory:' AS {schema}")
    _table(database, ACTIVITY, ACTIVITY_COLUMNS, _activity(project))
    _table(database, STATEMENTS, STATEMENT_COLUMNS, _statements(project))
    return database


def _table(
    database: sqlite3.Connection, where: tuple[str, str], columns: tuple[str, ...], rows: Iterable[Doc]
) -> None:
    schema, name = where
    database.execute(f"CREATE TABLE {schema}.{name} ({', '.join(columns)})")
    marks = ", ".join("?" for _ in columns)
    database.executemany(
        f"INSERT INTO {schema}.{name} VALUES ({marks})", [tuple(row.get(c) for c in columns) for row in rows]
    )


def _activity(project: Doc) -> list[Doc]:
    rows: list[Doc] = []
    for state, count in sorted(project["db"]["connections"].items()):
        for _ in range(int(count)):
            rows.append(
                {
                    "datid": 5,
                    "datname": "postgres",
                    "pid": 1000 + len(rows),
                    "usename": "authenticator",
                    "application_name": "postgrest",
                    "client_addr": "10.0.0.5",
                    "state": state,
                    "backend_type": "client backend",
                    "query": "SELECT 1",
                }
            )
    for kind in BACKGROUND:
        rows.append({"pid": 1000 + len(rows), "backend_type": kind, "query": ""})
    return rows


def _statements(project: Doc) -> list[Doc]:
    rows = []
    for index, statement in enumerate(project["db"]["statements"]):
        calls, mean = int(statement["calls"]), float(statement["mean_exec_time"])
        rows.append(
            {
                "userid": 16384,
                "dbid": 5,
                "toplevel": 1,
                "queryid": 7_000_000_000_000 + index,
                "query": statement["query"],
                "calls": calls,
                "total_exec_time": calls * mean,
                "min_exec_time": mean / 2,
                "max_exec_time": float(statement.get("max_exec_time", mean * 3)),
                "mean_exec_time": mean,
                "stddev_exec_time": mean / 4,
                "rows": calls,
            }
        )
    return rows
