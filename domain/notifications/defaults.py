"""Built-in notification templates (English). A tenant overrides one by saving a template of the same key.

Each entry has the shape of a saved template: category, description, default locale and
``channels`` (channel -> locale -> field -> Jinja source).
"""

from __future__ import annotations

from typing import Any

_DUE = "{% if due_at %} (due {{ due_at }}){% endif %}"
_HELLO = "Hello{% if assignee %} {{ assignee }}{% endif %},"


def _task(headline: str, sentence: str, description: str) -> dict[str, Any]:
    """A task message on every channel; data: task_title, process, due_at, url, assignee."""
    subject = f"{headline}: {{{{ task_title }}}}"
    text = (
        f"{_HELLO}\n\n{sentence} in {{{{ process }}}}: {{{{ task_title }}}}{_DUE}.\n"
        "{% if url %}\nOpen it: {{ url }}\n{% endif %}"
    )
    html = (
        f"<p>{_HELLO}</p>\n<p>{sentence} in <strong>{{{{ process }}}}</strong>: "
        f"{{{{ task_title }}}}{_DUE}.</p>\n"
        '{% if url %}<p><a href="{{ url }}">Open the task</a></p>{% endif %}'
    )
    short = f"{{{{ process }}}}{_DUE}"
    return {
        "category": "approvals",
        "description": description,
        "default_locale": "en",
        "channels": {
            "email": {"en": {"subject": subject, "html": html, "text": text}},
            "sms": {"en": {"text": f"{subject} - {short}{{% if url %}} {{{{ url }}}}{{% endif %}}"}},
            "push": {"en": {"title": subject, "body": short}},
            "in_app": {"en": {"title": subject, "body": short}},
        },
    }


def _generic(category: str, title: str, description: str) -> dict[str, Any]:
    """Data ``title`` (required) and ``body`` (optional: an email without one repeats the title)."""
    body = "{% if body %}{{ body }}{% endif %}"
    return {
        "category": category,
        "description": description,
        "default_locale": "en",
        "channels": {
            "email": {
                "en": {
                    "subject": f"{{{{ {title} }}}}",
                    "html": f"<p>{{{{ body or {title} }}}}</p>",
                    "text": f"{{{{ body or {title} }}}}",
                }
            },
            "sms": {"en": {"text": f"{{{{ {title} }}}}{{% if body %}}: {{{{ body }}}}{{% endif %}}"}},
            "push": {"en": {"title": f"{{{{ {title} }}}}", "body": body}},
            "in_app": {"en": {"title": f"{{{{ {title} }}}}", "body": body}},
        },
    }


BUILTINS: dict[str, dict[str, Any]] = {
    "task-assigned": _task("New task", "You have a new task", "A task was assigned to you or your role."),
    "task-reminder": _task("Reminder", "A task is waiting for you", "A task you hold is still open."),
    "task-escalated": _task("Escalated", "A task was escalated to you", "An overdue task was escalated."),
    "notification": _generic("general", "title", "A generic message: data title and body."),
    "campaign": _generic("marketing", "subject", "A campaign message: data subject and body."),
}
