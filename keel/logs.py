"""Structured logging: one JSON object per line, with the correlation id when one is known."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime

from keel.settings import Settings

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        cid = correlation_id.get()
        if cid:
            entry["correlation_id"] = cid
        entry.update(
            {k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")}
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    fmt = settings.log_format or ("json" if settings.environment == "production" else "text")
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    logging.getLogger("alembic").setLevel(max(root.level, logging.WARNING))
    # httpx logs every request's full URL at INFO: calendar import URLs are secrets (capability links).
    logging.getLogger("httpx").setLevel(max(root.level, logging.WARNING))
    # WeasyPrint warns on every document that it subsets fonts with fontTools (no HarfBuzz-Subset on
    # Debian's stable): nothing an operator can act on, and it would drown its useful warnings.
    weasyprint = logging.getLogger("weasyprint")
    weasyprint.filters[:] = [lambda record: not record.getMessage().startswith("Using fontTools instead")]
    logging.getLogger("fontTools").setLevel(max(root.level, logging.WARNING))  # a line per table subset
