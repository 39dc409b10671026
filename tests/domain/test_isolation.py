"""Tenant isolation by PostgreSQL itself: RLS policies and the application role's grants."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError, ProgrammingError

from db.models import AuditLog, Tenant, User
from db.session import system_session, tenant_session
from domain.audit import service as audit
from domain.context import TenantContext
from domain.identity import service as identity
from domain.identity.schemas import UserCreate


def test_rls_hides_other_tenants_rows_even_without_a_tenant_filter(engine, make_tenant):
    a, b = make_tenant("A"), make_tenant("B")
    with tenant_session(engine, a.id) as session:
        # No WHERE tenant_id here: only the policy stands between A and B.
        emails = set(session.scalars(select(User.email)))
        tenants = set(session.scalars(select(Tenant.domain)))
        assert emails == {a.admin_email} and tenants == {a.domain}
        assert session.get(User, b.admin_id) is None
    with system_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0  # no tenant, no rows


def test_rls_refuses_writing_into_another_tenant(engine, make_tenant):
    a, b = make_tenant("A"), make_tenant("B")
    with pytest.raises(DBAPIError, match="row-level security"), tenant_session(engine, a.id) as session:
        session.add(User(tenant_id=b.id, email="intruder@x.test", password_hash="x"))
        session.flush()
    with tenant_session(engine, a.id) as session:
        changed = session.execute(
            update(User).where(User.id == b.admin_id).values(full_name="pwned").returning(User.id)
        ).all()
        assert changed == []
    with tenant_session(engine, b.id) as session:
        admin = session.get(User, b.admin_id)
        assert admin is not None and admin.full_name == "Administrator"


def test_application_role_is_least_privilege(engine, tenant):
    with engine.connect() as conn:
        owner = conn.execute(text("SELECT tableowner FROM pg_tables WHERE tablename = 'users'")).scalar()
        me = conn.execute(text("SELECT current_user")).scalar()
        flags = conn.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
    assert owner != me and tuple(flags) == (False, False)
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        tenant_session(engine, tenant.id) as session,
    ):
        session.execute(text("UPDATE audit_log SET action = 'forged'"))
    with (
        pytest.raises(ProgrammingError, match="permission denied"),
        tenant_session(engine, tenant.id) as session,
    ):
        session.execute(
            text("INSERT INTO tenants (id, name, domain) VALUES (gen_random_uuid(), 'x', 'x.test')")
        )


def test_audit_row_lives_and_dies_with_its_mutation(engine, tenant):
    ctx = TenantContext(
        tenant_id=tenant.id,
        tenant_domain=tenant.domain,
        permissions=frozenset({"*"}),
        user_id=tenant.admin_id,
        correlation_id="c-1",
    )

    class Boom(Exception):
        pass

    with pytest.raises(Boom), tenant_session(engine, tenant.id) as session:
        identity.create_user(
            session, ctx, UserCreate(email=f"ghost@{tenant.domain}", password="a-long-password")
        )
        raise Boom
    with tenant_session(engine, tenant.id) as session:
        assert identity.find_user_by_email(session, ctx, f"ghost@{tenant.domain}") is None
        assert session.scalars(select(AuditLog).where(AuditLog.correlation_id == "c-1")).all() == []


def test_diff_names_secrets_without_showing_them():
    changes = audit.diff(
        {"email": "a@x.test", "password_hash": "old"}, {"email": "b@x.test", "password_hash": "new"}
    )
    assert changes == {"email": ["a@x.test", "b@x.test"], "password_hash": ["[redacted]", "[redacted]"]}
    assert audit.diff({"a": 1}, {"a": 1}) == {}
    assert str(uuid.UUID(int=1)) == audit.diff(None, {"id": uuid.UUID(int=1)})["id"][1]
