"""Optimistic concurrency: the If-Match check against an object's current ETag."""

from __future__ import annotations

from domain.errors import PreconditionFailed


def check_if_match(if_match: str | None, current: str) -> None:
    """``If-Match`` with none of the given tags matching the current one is a 412."""
    if if_match is None or if_match.strip() == "*":
        return
    given = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if current not in given:
        raise PreconditionFailed(
            "The object changed since you read it (If-Match does not match its ETag).", {"etag": current}
        )
