"""Tenant scoping: services filter by tenant only through ``domain/queries.py``, and the database holds
the same line underneath with row-level security that applies to the application's role."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

from sqlalchemy import Engine, text

import db.models  # noqa: F401 - registers every table on Base.metadata
from db.base import Base

ROOT = Path(__file__).parents[1]
SCANNED = ("domain", "api")
HELPER = ROOT / "domain" / "queries.py"
JUSTIFIED = "# tenant:"


def _is_tenant_id(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "tenant_id") or (
        isinstance(node, ast.Name) and node.id == "tenant_id"
    )


def _hand_filters(tree: ast.AST) -> list[tuple[int, int]]:
    """(first line, last line) of each ``… tenant_id == …`` comparison and ``….tenant_id.in_(…)`` call."""
    found: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for i, op in enumerate(node.ops):
                if isinstance(op, ast.Eq) and (_is_tenant_id(operands[i]) or _is_tenant_id(operands[i + 1])):
                    found.append((node.lineno, node.end_lineno or node.lineno))
                    break
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "in_"
            and _is_tenant_id(node.func.value)
        ):
            found.append((node.lineno, node.end_lineno or node.lineno))
    return found


def _justified_lines(source: str) -> set[int]:
    """Lines carrying a real ``# tenant: <why>`` comment (not the text inside a string)."""
    lines: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        reason = tok.string[len(JUSTIFIED) :].strip()
        if tok.type == tokenize.COMMENT and tok.string.startswith(JUSTIFIED) and reason:
            lines.add(tok.start[0])
    return lines


def unjustified(source: str, filename: str = "<source>") -> list[int]:
    """The first line of each hand-written tenant filter with no ``# tenant:`` comment on any of its lines."""
    justified = _justified_lines(source)
    return [
        first
        for first, last in sorted(_hand_filters(ast.parse(source, filename)))
        if not justified.intersection(range(first, last + 1))
    ]


def test_the_scan_sees_hand_written_filters():
    source = (
        "stmt = select(Task).where(Task.tenant_id == ctx.tenant_id)\n"
        "ok = row is not None and ctx.tenant_id == row.tenant_id\n"
        "rows = select(X).where(X.tenant_id.in_(ids))\n"
        "fine = select(X).where(X.tenant_id == t)  # tenant: a cross-tenant sweep on purpose\n"
        "bare = select(X).where(X.tenant_id == t)  # tenant:\n"
        "cond = (\n    X.tenant_id\n    == t  # tenant: split over lines\n)\n"
        "note = 'X.tenant_id == t'\n"
        "other = select(Tenant).where(Tenant.id == tenant)\n"
    )
    assert unjustified(source) == [1, 2, 3, 5]


def test_services_filter_by_tenant_only_through_the_query_helpers():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for folder in SCANNED
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != HELPER
        for line in unjustified(path.read_text(), str(path))
    ]
    assert not offenders, (
        "tenant filters written by hand: use domain.queries (mine/live/find/get_or_404), or say why "
        f"with a '{JUSTIFIED} <why>' comment on the line:\n" + "\n".join(offenders)
    )


def _tenant_tables() -> list[str]:
    return sorted(t.name for t in Base.metadata.tables.values() if "tenant_id" in t.c)


def test_every_tenant_table_has_row_level_security_the_app_role_cannot_escape(
    engine: Engine, admin_engine: Engine
):
    tables = _tenant_tables()
    assert len(tables) > 10  # the walk found the models
    with engine.connect() as conn:
        app_role = conn.execute(text("SELECT current_user")).scalar_one()
    with admin_engine.connect() as conn:
        role = conn.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": app_role}
        ).one()
        rows = conn.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, pg_get_userbyid(c.relowner) AS owner "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY(:t)"
            ),
            {"t": tables},
        ).all()
        policies = conn.execute(
            text(
                "SELECT tablename, qual, with_check FROM pg_policies "
                "WHERE schemaname = current_schema() AND tablename = ANY(:t)"
            ),
            {"t": tables},
        ).all()
    assert tuple(role) == (False, False), f"{app_role} is a superuser or has BYPASSRLS: RLS would not apply"
    by_name = {r.relname: r for r in rows}
    assert sorted(by_name) == tables, f"tables missing from the database: {set(tables) - set(by_name)}"
    no_rls = [t for t in tables if not by_name[t].relrowsecurity]
    owned = [t for t in tables if by_name[t].owner == app_role]  # an owner bypasses its table's RLS
    keyed = {
        p.tablename for p in policies if "tenant_id" in (p.qual or "") and "tenant_id" in (p.with_check or "")
    }
    no_policy = [t for t in tables if t not in keyed]
    assert not no_rls, f"row-level security not enabled on: {no_rls}"
    assert not owned, f"owned by the application role {app_role}, so RLS does not apply to it: {owned}"
    assert not no_policy, f"no tenant_id policy (USING and WITH CHECK) on: {no_policy}"
