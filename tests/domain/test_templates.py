"""Notification templates on a real PostgreSQL: versions, locale fallback, the sandbox, caching."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from db.models import AuditLog, NotificationTemplate
from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.notifications import templates
from domain.notifications.errors import TemplateMissingChannel, TemplateRenderError
from domain.notifications.schemas import TemplateCreate, TemplateIn

TASK = {"task_title": "Approve <PO-7>", "process": "Purchase", "due_at": "2026-03-01", "url": "https://k/t/1"}


def ctx_of(tenant) -> TenantContext:
    return TenantContext(
        tenant_id=tenant.id,
        tenant_domain=tenant.domain,
        user_id=tenant.admin_id,
        permissions=frozenset({"*"}),
    )


def greeting(key: str = "greeting", **extra) -> TemplateCreate:
    return TemplateCreate(
        key=key,
        category="general",
        default_locale="en",
        channels={
            "email": {
                "en": {"subject": "Hi {{ name }}", "html": "<p>Hi {{ name }}</p>", "text": "Hi {{ name }}"},
                "pt": {"subject": "Olá {{ name }}", "text": "Olá {{ name }}"},
                "fr-CA": {"subject": "Allô {{ name }}", "text": "Allô {{ name }}"},
            },
            "sms": {"en": {"text": "Hi {{ name }}"}, "pt": {"text": "Olá {{ name }}"}},
        },
        **extra,
    )


@contextmanager
def count_queries(engine):
    seen: list[str] = []

    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def test_builtins_render_every_channel_and_escape_only_html(engine, tenant):
    ctx = ctx_of(tenant)
    with tenant_session(engine, tenant.id) as session:
        email = templates.render(session, ctx, "task-assigned", "email", None, TASK)
        assert (email.key, email.version, email.locale) == ("task-assigned", 0, "en")
        assert email.fields["subject"] == "New task: Approve <PO-7>"
        assert "Approve &lt;PO-7&gt;" in email.fields["html"] and "Approve <PO-7>" in email.fields["text"]
        for key in ("task-assigned", "task-reminder", "task-escalated"):
            assert templates.category_of(session, ctx, key) == "approvals"
            assert templates.channels_of(session, ctx, key) == {"email", "sms", "push", "in_app"}
            for channel in ("sms", "push", "in_app"):
                rendered = templates.render(session, ctx, key, channel, "de", TASK)
                assert "Approve <PO-7>" in next(iter(rendered.fields.values()))
        note = templates.render(session, ctx, "notification", "push", None, {"title": "T", "body": "B"})
        assert note.fields == {"title": "T", "body": "B"}
        assert templates.category_of(session, ctx, "campaign") == "marketing"
        with pytest.raises(NotFound):
            templates.resolve(session, ctx, "no-such-template")


def test_locale_falls_back_from_region_to_language_to_default(engine, tenant):
    ctx = ctx_of(tenant)
    with tenant_session(engine, tenant.id) as session:
        templates.create(session, ctx, greeting())
        data = {"name": "Ana"}
        cases = {
            "pt-BR": "pt",
            "pt": "pt",
            "fr-ca": "fr-CA",
            "fr_CA": "fr-CA",
            "fr": "en",
            "de": "en",
            None: "en",
        }
        for wanted, used in cases.items():
            rendered = templates.render(session, ctx, "greeting", "email", wanted, data)
            assert rendered.locale == used, wanted
        assert templates.render(session, ctx, "greeting", "email", "pt-BR", data).fields == {
            "subject": "Olá Ana",
            "html": "",  # the pt email has no html part
            "text": "Olá Ana",
        }
        # Nothing for the language nor the default: any locale the channel has.
        assert templates.pick_locale({"pt": 1, "de": 2}, "fr", "en") == "de"


def test_a_missing_channel_and_runtime_errors_are_typed(engine, tenant):
    ctx = ctx_of(tenant)
    with tenant_session(engine, tenant.id) as session:
        templates.create(
            session,
            ctx,
            TemplateCreate(
                key="sum", channels={"sms": {"en": {"text": "Total {{ n + 1 }}: {{ items[k] }}"}}}
            ),
        )
        with pytest.raises(TemplateMissingChannel) as missing:
            templates.render(session, ctx, "sum", "push", None, {"n": 1})
        assert missing.value.channel == "push" and "sms" in missing.value.message
        with pytest.raises(TemplateRenderError) as failed:
            templates.render(session, ctx, "sum", "sms", None, {"n": "one"})
        assert failed.value.field == "channels.sms.en.text" and "TypeError" in failed.value.reason
        # Data cannot smuggle in what the sandbox refuses either.
        with pytest.raises(TemplateRenderError, match="unsafe"):
            templates.render(session, ctx, "sum", "sms", None, {"n": 1, "items": "x", "k": "__class__"})
        # Something undefined renders as an empty string at send time; using it otherwise fails.
        assert (
            templates.render(session, ctx, "sum", "sms", None, {"n": 1, "items": {}}).fields["text"]
            == "Total 2: "
        )
        with pytest.raises(TemplateRenderError, match="'items' is undefined"):
            templates.render(session, ctx, "sum", "sms", None, {"n": 1})


def test_a_put_writes_a_new_version_the_cache_sees_at_once(engine, tenant):
    ctx = ctx_of(tenant)
    with tenant_session(engine, tenant.id) as session:
        templates.create(session, ctx, greeting())
    with tenant_session(engine, tenant.id) as session:
        first = templates.render(session, ctx, "greeting", "sms", "en", {"name": "Bo"})
        assert (first.version, first.fields["text"]) == (1, "Hi Bo")
    with tenant_session(engine, tenant.id) as session:
        body = greeting().model_dump(exclude={"key"})
        body["channels"]["sms"]["en"]["text"] = "Hey {{ name }}!"
        saved = templates.update(session, ctx, "greeting", TemplateIn(**body))
        assert saved.version == 2
    with tenant_session(engine, tenant.id) as session:
        latest = templates.render(session, ctx, "greeting", "sms", "en", {"name": "Bo"})
        pinned = templates.render(session, ctx, "greeting", "sms", "en", {"name": "Bo"}, version=1)
        assert (latest.version, latest.fields["text"]) == (2, "Hey Bo!")
        assert (pinned.version, pinned.fields["text"]) == (1, "Hi Bo")
        with pytest.raises(NotFound):
            templates.resolve(session, ctx, "greeting", 3)
        assert [
            v.version for v in templates.versions(session, ctx, "greeting", limit=None, before=None)[0]
        ] == [2, 1]
        actions = session.scalars(
            select(AuditLog.action)
            .where(AuditLog.entity_type == "notification_template")
            .order_by(AuditLog.id)
        )
        assert sorted(actions) == ["notification_template.created", "notification_template.updated"]


def test_rendering_costs_one_query_for_the_latest_and_none_for_a_pinned_version(engine, tenant):
    ctx = ctx_of(tenant)
    with tenant_session(engine, tenant.id) as session:
        templates.create(session, ctx, greeting("cheap"))
    with tenant_session(engine, tenant.id) as session:
        templates.render(session, ctx, "cheap", "email", "en", {"name": "warm"})  # fills the caches
        templates.render(session, ctx, "cheap", "email", "en", {"name": "warm"}, version=1)
        with count_queries(engine) as latest:
            for i in range(20):
                assert templates.render(session, ctx, "cheap", "email", "en", {"name": i}).version == 1
        with count_queries(engine) as pinned:
            templates.render(session, ctx, "cheap", "email", "en", {"name": "x"}, version=1)
        with count_queries(engine) as builtin:
            templates.render(session, ctx, "task-assigned", "email", "en", TASK)
    assert len(latest) == 20 and pinned == [] and len(builtin) == 1


def test_a_rolled_back_save_is_not_served_from_the_cache(engine, tenant):
    ctx = ctx_of(tenant)
    with pytest.raises(RuntimeError), tenant_session(engine, tenant.id) as session:
        templates.create(session, ctx, greeting("ghost"))
        assert templates.render(session, ctx, "ghost", "sms", "en", {"name": "A"}).fields["text"] == "Hi A"
        raise RuntimeError("roll back")
    with tenant_session(engine, tenant.id) as session:
        with pytest.raises(NotFound):
            templates.resolve(session, ctx, "ghost")
        again = greeting("ghost")
        again.channels["sms"]["en"]["text"] = "Hello again {{ name }}"
        templates.create(session, ctx, again)
    with tenant_session(engine, tenant.id) as session:
        rendered = templates.render(session, ctx, "ghost", "sms", "en", {"name": "A"})
        assert (rendered.version, rendered.fields["text"]) == (1, "Hello again A")


def test_a_tenant_overrides_a_builtin_only_for_itself(engine, make_tenant):
    a, b = make_tenant("A"), make_tenant("B")
    body = TemplateIn(category="approvals", channels={"sms": {"en": {"text": "A: {{ task_title }}"}}})
    with tenant_session(engine, a.id) as session:
        assert templates.update(session, ctx_of(a), "task-assigned", body).version == 1
    with tenant_session(engine, a.id) as session:
        mine = templates.render(session, ctx_of(a), "task-assigned", "sms", None, TASK)
        assert (mine.version, mine.fields["text"]) == (1, "A: Approve <PO-7>")
        assert templates.channels_of(session, ctx_of(a), "task-assigned") == {"sms"}
        # The built-in stays reachable as version 0.
        assert (
            templates.render(session, ctx_of(a), "task-assigned", "email", None, TASK, version=0).version == 0
        )
        with pytest.raises(Conflict):
            templates.create(
                session, ctx_of(a), TemplateCreate(**body.model_dump() | {"key": "task-assigned"})
            )
    with tenant_session(engine, b.id) as session:
        theirs = templates.render(session, ctx_of(b), "task-assigned", "sms", None, TASK)
        assert theirs.version == 0 and theirs.fields["text"].startswith("New task")
        with pytest.raises(NotFound):
            templates.resolve(session, ctx_of(b), "task-assigned", 1)


SANDBOX_ESCAPES = [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ self.__init__ }}",
    "{{ '{0.__class__}'.format(1) }}",
    "{{ x.__class__ }}",
    "{% set l = [] %}{{ l.append(1) }}",
    "{{ 'a' * 100000000 }}",
    "{{ 10 ** 100000 }}",
]


@pytest.mark.parametrize("source", SANDBOX_ESCAPES)
def test_sandbox_escapes_are_refused_when_saving(engine, tenant, source):
    ctx = ctx_of(tenant)
    with tenant_session(engine, tenant.id) as session:
        with pytest.raises(ValidationFailed) as refused:
            templates.create(
                session, ctx, TemplateCreate(key="evil", channels={"sms": {"en": {"text": source}}})
            )
        (problem,) = refused.value.fields
        assert problem.field == "channels.sms.en.text" and "not allowed" in problem.message
        assert session.scalar(select(func.count()).select_from(NotificationTemplate)) == 0


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Hello\n{{ name }", "line 2: unexpected '}'"),
        ("{% if x %}\nopen\n", "line 1: Unexpected end of template"),  # where the open block starts
        ("a\nb\n{{ x|no_such_filter }}", "line 3: No filter named 'no_such_filter'"),
    ],
)
def test_syntax_errors_name_the_field_and_line(source, message):
    body = TemplateIn(channels={"email": {"en": {"subject": "ok", "text": source}}})
    with pytest.raises(ValidationFailed) as refused:
        templates.check(body)
    (problem,) = refused.value.fields
    assert problem.field == "channels.email.en.text" and problem.message.startswith(message)


def test_save_checks_structure_field_by_field():
    body = TemplateIn(
        default_locale="en",
        channels={
            "fax": {"en": {"text": "x"}},
            "email": {"en": {"subject": "", "html": "h", "body": "b"}},
            "push": {"en": {"body": "only a body"}},
            "sms": {"pt": {"text": "x"}, "not a locale": {"text": "x"}},
        },
    )
    with pytest.raises(ValidationFailed) as refused:
        templates.check(body)
    problems = {f.field: f.message for f in refused.value.fields}
    assert "unknown channel" in problems["channels.fax"]
    assert "unknown field" in problems["channels.email.en.body"]
    assert "subject" in problems["channels.email.en.subject"]
    assert "title" in problems["channels.push.en.title"]
    assert "BCP 47" in problems["channels.sms.not a locale"]
    assert "sms" in problems["default_locale"]


def test_sample_data_makes_the_save_render_for_real():
    source = {"sms": {"en": {"text": "{{ amount|round }} {{ who.upper() }} {{ n|int }} {{ '%.2f' % n }}"}}}
    templates.check(TemplateIn(channels=source))  # without data, data-dependent failures pass
    with pytest.raises(ValidationFailed) as refused:
        templates.check(TemplateIn(channels=source, sample_data={"amount": "ten", "who": "x", "n": 2}))
    assert "TypeError" in refused.value.fields[0].message
    assert templates.check(TemplateIn(channels=source, sample_data={"amount": 1.6, "who": "x", "n": 2}))


def test_builtins_pass_their_own_checks():
    for key in templates.BUILTINS:
        view = templates.builtin(key)
        assert view is not None
        templates.check(TemplateIn(category=view.category, channels=view.channels, sample_data=TASK))


# Templates that would hold a worker's CPU or memory: each is refused when saved, in about a second.
RUNAWAY = [
    ("{% for i in range(10**7) %}x{% endfor %}", "Range too big"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "longer than"),
    (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
        "longer than",
    ),
    ("{{ 'x' * 10**9 }}", "would exceed"),
    ("{{ range(100000)|join('x' * 999999) }}", "would exceed"),
    ("{% set s = 'x' * 999999 %}{{ s|replace('x', s) }}", "would exceed"),
    (
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "exceed",
    ),
    (
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "exceed",
    ),
    ("{{ 'x'|center(10**9) }}", "would exceed"),
    ("{{ 'a\nb'|indent(999999) }}", "would exceed"),
    ("{{ 'x'.center(10) }}", "not allowed"),
    ("{{ '%999999999d' % 1 }}", "not allowed"),
    ("{{ '%s'|format(1)|center(10**9) }}", "would exceed"),
    ("{{ ((10**100)**100)**100 }}", "too large"),
    ("{{ {'a': 1}|tojson(10**9) }}", "not allowed"),
    ("{{ [1]|batch(10**9, 'x')|list }}", "not allowed"),
    ("{{ lipsum(10**9) }}", "not allowed"),
    # Values each under the size limits that pile up: stopped by the memory ceiling.
    ("{{ range(100000)|map('center', 999999)|list|length }}", "MB to render"),
    (
        "{% set ns = namespace(l=[], s='x' * 999990) %}"
        "{% for i in range(100000) %}{% set ns.l = ns.l + [ns.s ~ i] %}{% endfor %}",
        "MB to render",
    ),
    # Past Python's own limits the compiler fails: a 422, not a server error.
    ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "nested too deeply"),
    ("{% if x %}" * 2000 + "{% endif %}" * 2000, "nested too deeply"),
    ("{% for a in x %}" * 25 + "{% endfor %}" * 25, "nested too deeply"),
]


@pytest.mark.parametrize(("source", "says"), RUNAWAY)
def test_runaway_templates_are_refused_at_save_and_quickly(source, says):
    started = time.monotonic()
    with pytest.raises(ValidationFailed) as refused:
        templates.check(TemplateIn(channels={"sms": {"en": {"text": source}}}))
    (problem,) = refused.value.fields
    assert problem.field == "channels.sms.en.text" and says in problem.message, problem.message
    assert time.monotonic() - started < 3


def test_a_runaway_that_depends_on_the_data_fails_the_send_cleanly(engine, tenant):
    """Passes the save (no data, the loop is empty); a send with a big list stops at the deadline."""
    ctx = ctx_of(tenant)
    source = (
        "{% for a in items %}{% for b in items %}{% for c in items %}{% endfor %}{% endfor %}{% endfor %}ok"
    )
    with tenant_session(engine, tenant.id) as session:
        templates.create(
            session, ctx, TemplateCreate(key="loops", channels={"sms": {"en": {"text": source}}})
        )
        assert templates.render(session, ctx, "loops", "sms", None, {"items": [1, 2]}).fields["text"] == "ok"
        started = time.monotonic()
        with pytest.raises(TemplateRenderError) as failed:
            templates.render(session, ctx, "loops", "sms", None, {"items": list(range(5000))})
        assert "longer than 1 s" in failed.value.reason and time.monotonic() - started < 3
        # The thread is usable afterwards: no interruption is left pending for it.
        time.sleep(1.2)
        assert templates.render(session, ctx, "loops", "sms", None, {"items": [1]}).fields["text"] == "ok"


@pytest.mark.parametrize(
    "source",
    [
        "{{ 1 // 0 }}",
        "{{ [1, 2][0] / 0 }}",
        "{% set n = 0 %}{{ 10 % n }}",
        "{{ x }}{{ 'a' + 1 }}",
        "{{ 1 // 0 if x }}",
    ],
)
def test_a_template_that_can_never_render_is_refused_without_sample_data(source):
    with pytest.raises(ValidationFailed) as refused:
        templates.check(TemplateIn(channels={"sms": {"en": {"text": source}}}))
    (problem,) = refused.value.fields
    assert problem.field == "channels.sms.en.text" and "Error" in problem.message


def test_safe_filters_still_work():
    view = templates.TemplateView(
        key="k",
        version=1,
        category="general",
        description=None,
        default_locale="en",
        channels={
            "sms": {
                "en": {
                    "text": "{{ '%s-%d'|format('a', 2) }} {{ 'a-b'|replace('-', '+') }} {{ items|join(', ') }} "
                    "{{ 'x'|center(5) }}| {{ items|sum }} {{ 'a' ~ 'b' }} {{ 2 ** 10 }} {{ '%.1f' % 2 }}"
                }
            }
        },
        builtin=False,
    )
    text = templates.render_view(view, "sms", None, {"items": [1, 2]}).fields["text"]
    assert text == "a-2 a+b 1, 2   x  | 3 ab 1024 2.0"


def test_variables_are_derived_and_guarded_ones_are_optional():
    view = templates.TemplateView(
        key="k",
        version=1,
        category="general",
        description=None,
        default_locale="en",
        channels={
            "email": {"en": {"subject": "Hi {{ user.name }}", "text": "{% if url %}{{ url }}{% endif %}"}},
            "sms": {
                "en": {
                    "text": "{% for line in lines %}{{ line }}{{ loop.index }}{% endfor %}{{ note|default('') }}"
                    "{{ code or 'n/a' }}{% set s = sign %}{{ s }}{{ x if x is defined }}"
                }
            },
        },
        builtin=False,
    )
    assert templates.variables_of(view) == (
        ["code", "lines", "note", "sign", "url", "user", "x"],
        ["lines", "sign", "user"],
    )
    assert templates.variables_of(view, ["email"]) == (["url", "user"], ["user"])
    task = templates.builtin("task-assigned")
    assert task is not None
    assert templates.variables_of(task) == (
        ["assignee", "due_at", "process", "task_title", "url"],
        ["process", "task_title"],
    )
    with pytest.raises(ValidationFailed) as refused:
        templates.require_variables(view, ["email", "sms"], {"user": {"name": "A"}, "lines": None})
    assert [f.field for f in refused.value.fields] == ["data.lines", "data.sign"]
    templates.require_variables(view, ["email"], {"user": "A"})
