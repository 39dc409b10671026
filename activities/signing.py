"""Activities of the signing process: each opens a tenant unit of work and calls one domain step."""

from __future__ import annotations

from temporalio import activity

from activities import Deps
from adapters.storage import object_store
from domain.errors import NotFound
from domain.signing import process
from domain.signing.schemas import ReminderRound, SigningRef
from workflows import contracts

# A request that no longer exists is a fact no retry can change.
FINAL = (NotFound,)


class SigningActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @property
    def secret(self) -> str:
        return self.deps.settings.require_jwt_secret()

    @property
    def base_url(self) -> str:
        return self.deps.settings.api_url

    @activity.defn(name=contracts.SIGNING_ADVANCE)
    def advance(self, ref: SigningRef) -> str:
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            return process.advance(session, ctx, ref.request_id, secret=self.secret, base_url=self.base_url)

    @activity.defn(name=contracts.SIGNING_REMIND)
    def remind(self, data: ReminderRound) -> str:
        with self.deps.unit(data.tenant_id, final=FINAL) as (session, ctx):
            return process.remind(
                session, ctx, data.request_id, data.round, secret=self.secret, base_url=self.base_url
            )

    @activity.defn(name=contracts.SIGNING_EXPIRE)
    def expire(self, ref: SigningRef) -> str:
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            return process.expire(session, ctx, ref.request_id, secret=self.secret, base_url=self.base_url)

    @activity.defn(name=contracts.SIGNING_COMPLETE)
    def complete(self, ref: SigningRef) -> str:
        settings = self.deps.settings
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            return process.complete(
                session,
                ctx,
                object_store(settings),
                ref.request_id,
                settings=settings,
                secret=self.secret,
                base_url=self.base_url,
            )
