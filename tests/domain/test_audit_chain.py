"""The audit chain against PostgreSQL: sealing order, verify, tampering seen through the owner's
connection, retention through keel_audit_prune, and erasure that keeps the chain verifiable."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from db.models import AuditLog
from db.models.audit import AuditAnchor, AuditSeal
from db.session import tenant_session
from domain.audit import canonical, chain, retention
from domain.audit import service as audit
from domain.context import TenantContext
from tests.conftest import TenantFixture

KEY = b"k" * 32


@pytest.fixture(autouse=True)
def no_settling(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(chain, "SETTLE", timedelta(0))
    yield


def _write(engine: Engine, tenant: TenantFixture, n: int, changes: dict[str, object] | None = None) -> None:
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        for i in range(n):
            audit.record(session, ctx, "thing.updated", "thing", i, changes or {"n": [i, i + 1]}, flush=False)
        session.flush()


def _verify(engine: Engine, tenant: TenantFixture) -> chain.Verdict:
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        retention.maintain(session, ctx, KEY, full=True)
        return chain.verify(session, ctx, KEY)


def test_canonical_form_is_stable_and_holds_no_address() -> None:
    row = {name: None for name in canonical.FIELDS} | {
        "id": uuid.UUID(int=1),
        "created_at": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "changes": {"email": ["Ann@Example.com", "bob@example.org"], "note": "to ann@example.com."},
        "entity_id": "ann@example.com",
    }
    body = canonical.canonical(KEY, row).decode()
    assert "@" not in body and '"created_at":"2026-01-02T03:04:05.000006+00:00"' in body
    ann = canonical.pseudonym(KEY, "ann@example.com")
    assert body.count(ann) == 3  # case-insensitive: Ann@Example.com is the same person
    assert canonical.canonical(KEY, dict(reversed(list(row.items())))) == body.encode()


def test_chain_seals_in_order_and_verifies(engine: Engine, tenant: TenantFixture) -> None:
    _write(engine, tenant, 30)
    verdict = _verify(engine, tenant)
    assert verdict.ok and verdict.first_broken is None and verdict.unsealed == 0
    with tenant_session(engine, tenant.id) as session:
        seqs = session.scalars(select(AuditSeal.seq).where(AuditSeal.tenant_id == tenant.id)).all()
    assert sorted(seqs) == list(range(1, len(seqs) + 1)) and verdict.sealed == len(seqs) >= 30
    _write(engine, tenant, 5)  # later rows extend the same chain
    again = _verify(engine, tenant)
    assert again.ok and again.sealed == verdict.sealed + 5


def test_a_row_committed_late_is_sealed_after_the_last_seal(
    engine: Engine, admin_engine: Engine, tenant: TenantFixture
) -> None:
    _write(engine, tenant, 3)
    assert _verify(engine, tenant).ok
    _write(engine, tenant, 1, {"late": [0, 1]})
    with admin_engine.begin() as conn:  # as if its transaction had stayed open for two hours
        conn.execute(
            text(
                "UPDATE audit_log SET created_at = created_at - interval '2 hours' "
                "WHERE tenant_id = :t AND changes ? 'late'"
            ),
            {"t": tenant.id},
        )
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        assert chain.seal(session, tenant.id, KEY) == 0  # before the periodic sealing's horizon
        assert chain.verify(session, ctx, KEY).unsealed == 1
        assert chain.seal(session, tenant.id, KEY, full=True) == 1
        last = session.scalar(select(AuditSeal.audit_id).order_by(AuditSeal.seq.desc()).limit(1))
        late = session.scalar(select(AuditLog.id).where(AuditLog.changes.has_key("late")))
    assert last == late and _verify(engine, tenant).ok


def test_recent_rows_wait_for_the_next_sealing(engine: Engine, tenant: TenantFixture, monkeypatch) -> None:
    monkeypatch.setattr(chain, "SETTLE", timedelta(hours=1))
    _write(engine, tenant, 3)
    verdict = _verify(engine, tenant)
    assert verdict.ok and verdict.sealed == 0 and verdict.unsealed >= 3


def test_a_row_changed_by_the_owner_is_named(
    engine: Engine, admin_engine: Engine, tenant: TenantFixture
) -> None:
    _write(engine, tenant, 10)
    assert _verify(engine, tenant).ok
    with tenant_session(engine, tenant.id) as session:
        seal = session.execute(
            select(AuditSeal.seq, AuditSeal.audit_id).where(
                AuditSeal.tenant_id == tenant.id, AuditSeal.seq == 4
            )
        ).one()
    with admin_engine.begin() as conn:  # the application role cannot UPDATE audit_log
        conn.execute(text("UPDATE audit_log SET action = 'thing.hidden' WHERE id = :i"), {"i": seal.audit_id})
    broken = _verify(engine, tenant).first_broken
    assert broken is not None and broken["seq"] == 4 and broken["audit_id"] == seal.audit_id
    assert "differs" in broken["reason"]


def test_a_deleted_row_and_a_deleted_seal_are_named(
    engine: Engine, admin_engine: Engine, make_tenant
) -> None:
    a, b = make_tenant("A"), make_tenant("B")
    for t in (a, b):
        _write(engine, t, 6)
        assert _verify(engine, t).ok
    with admin_engine.begin() as conn:
        conn.execute(
            text(
                "DELETE FROM audit_log WHERE id = (SELECT audit_id FROM audit_seals WHERE tenant_id = :t AND seq = 3)"
            ),
            {"t": a.id},
        )
        conn.execute(text("DELETE FROM audit_seals WHERE tenant_id = :t AND seq = 5"), {"t": b.id})
    broken_a, broken_b = _verify(engine, a).first_broken, _verify(engine, b).first_broken
    assert broken_a is not None and broken_a["seq"] == 3 and "missing" in broken_a["reason"]
    assert broken_b is not None and broken_b["seq"] == 6 and "seal 5 is missing" in broken_b["reason"]


def test_application_role_cannot_rewrite_seals(engine: Engine, tenant: TenantFixture) -> None:
    _write(engine, tenant, 2)
    assert _verify(engine, tenant).ok
    with pytest.raises(DBAPIError, match="permission denied"), tenant_session(engine, tenant.id) as session:
        session.execute(text("UPDATE audit_seals SET hash = repeat('0', 64)"))
    with pytest.raises(DBAPIError, match="permission denied"), tenant_session(engine, tenant.id) as session:
        session.execute(text("DELETE FROM audit_log"))


def test_retention_prunes_the_oldest_links_and_verify_starts_at_the_anchor(
    engine: Engine, admin_engine: Engine, tenant: TenantFixture
) -> None:
    _write(engine, tenant, 8)
    old = datetime.now(UTC) - timedelta(days=40)
    with admin_engine.begin() as conn:  # eight entries written 40 days ago, before their sealing
        conn.execute(
            text(
                "UPDATE audit_log SET created_at = :old + (entity_id::int * interval '1 second') "
                "WHERE tenant_id = :t AND action = 'thing.updated'"
            ),
            {"old": old, "t": tenant.id},
        )
    _write(engine, tenant, 4, {"fresh": [0, 1]})
    assert _verify(engine, tenant).ok
    ctx = TenantContext.system(tenant.id)
    with tenant_session(engine, tenant.id) as session:
        retention.replace(session, ctx, 30)
        total = session.scalar(select(func.count()).select_from(AuditLog))
    verdict = _verify(engine, tenant)
    assert verdict.ok, verdict.first_broken
    with tenant_session(engine, tenant.id) as session:
        kept = session.scalar(select(func.count()).select_from(AuditLog))
        anchor = session.get(AuditAnchor, tenant.id)
        first = session.scalar(select(func.min(AuditSeal.seq)).where(AuditSeal.tenant_id == tenant.id))
        pruned = session.scalars(select(AuditLog.changes).where(AuditLog.action == "audit.pruned")).all()
    assert total is not None and kept is not None and total - kept >= 8 - 1  # less the new audit.pruned row
    assert anchor is not None and anchor.seq == first and pruned and pruned[0]["deleted"] >= 8


def test_prune_refuses_a_cutoff_younger_than_thirty_days(engine: Engine, tenant: TenantFixture) -> None:
    with pytest.raises(DBAPIError, match="at least 30 days"), tenant_session(engine, tenant.id) as session:
        session.execute(select(func.keel_audit_prune(func.now() - timedelta(days=29))))


def test_erasure_rewrites_only_the_address_and_the_chain_holds(engine: Engine, tenant: TenantFixture) -> None:
    who = "Zoe.Smith+x@Example.com"
    changes: dict[str, object] = {
        "email": [None, who],
        "note": f"sent to {who.lower()}, and not to a{who.lower()} or {who.lower()}.uk",
        who.lower(): ["line one\nzoe.smith+x@example.com", 1],
    }
    _write(engine, tenant, 2, changes)
    assert _verify(engine, tenant).ok
    digest = canonical.pseudonym(KEY, who)
    with tenant_session(engine, tenant.id) as session:
        n = session.scalar(select(func.keel_audit_erase(who.lower(), digest)))
        stored = session.scalars(select(AuditLog.changes).where(AuditLog.action == "thing.updated")).all()
    assert n == 2
    assert stored[0] == {
        "email": [None, digest],
        "note": f"sent to {digest}, and not to a{who.lower()} or {who.lower()}.uk",
        digest: [f"line one\n{digest}", 1],
    }
    assert _verify(engine, tenant).ok
