"""Attribute validation against a type's JSON Schema (2020-12), and the values derived from attributes.

Validators are compiled once per (type, version): compiling dominates a single validation.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from db.models import EntityType
from domain.entities import safeschema
from domain.entities.errors import FieldError, ValidationFailed

ATTRIBUTE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=512)
def _compiled(type_id: uuid.UUID, version: int, schema_json: str) -> Draft202012Validator:
    return safeschema.validator(json.loads(schema_json))


def validator_for(etype: EntityType) -> Draft202012Validator:
    return _compiled(etype.id, etype.version, json.dumps(etype.schema, sort_keys=True))


def pointer(path: list[Any] | tuple[Any, ...]) -> str:
    """An RFC 6901 JSON pointer into the request body (``/attributes/address/city``)."""
    parts = ["attributes", *(str(p).replace("~", "~0").replace("/", "~1") for p in path)]
    return "/" + "/".join(parts)


def _field_errors(error: ValidationError) -> list[FieldError]:
    path = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.validator_value, list):
        # Name the missing property itself, not the object that lacks it.
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        return [FieldError(pointer([*path, name]), "is required") for name in missing]
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance or {}) - set(error.schema.get("properties", {})))
        return [FieldError(pointer([*path, name]), "is not an attribute of this type") for name in extra]
    return [FieldError(pointer(path), error.message)]


def attribute_errors(etype: EntityType, attributes: dict[str, Any]) -> list[FieldError]:
    found: list[FieldError] = []
    try:
        validator = validator_for(etype)
    except safeschema.UnsafeSchema as exc:
        # A schema kept before today's limits: refuse its records until the type is updated.
        return [FieldError("/attributes", f"this type's schema must be updated before it can be used: {exc}")]
    for error in validator.iter_errors(attributes):
        found.extend(_field_errors(error))
    # Deterministic order, one message per pointer and text.
    return sorted(set(found), key=lambda f: (f.field, f.message))


def check(etype: EntityType, attributes: Any, status: str | None) -> list[FieldError]:
    """Every problem with a record's attributes and status (empty when it is valid)."""
    if not isinstance(attributes, dict):
        return [FieldError("/attributes", "must be an object")]
    errors = attribute_errors(etype, attributes)
    if status is not None and etype.statuses and status not in etype.statuses:
        errors.append(FieldError("/status", f"must be one of {', '.join(etype.statuses)}"))
    return errors


def raise_if_invalid(etype: EntityType, attributes: Any, status: str | None) -> None:
    errors = check(etype, attributes, status)
    if errors:
        raise ValidationFailed(errors, f"The {etype.name} is not valid: {len(errors)} field(s) to fix.")


def default_status(etype: EntityType, status: str | None) -> str | None:
    if status is None and etype.statuses:
        return str(etype.statuses[0])
    return status


def fold(text: str) -> str:
    """Lower-cased, accents removed, whitespace collapsed: what dedup and search compare."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def dedup_text(etype: EntityType, attributes: dict[str, Any]) -> str | None:
    fields = (etype.dedup or {}).get("fields") or []
    if not fields:
        return None
    joined = fold(" ".join(_text_of(attributes.get(f)) for f in fields))
    return joined or None


def unique_values(etype: EntityType, attributes: dict[str, Any]) -> dict[str, str]:
    """The values of the type's unique attributes that the record has (strings compared case-folded)."""
    values = {}
    for name in etype.unique or []:
        value = attributes.get(name)
        if value is None:
            continue
        values[name] = value.casefold() if isinstance(value, str) else _text_of(value)
    return values


def check_schema(schema: Any) -> list[FieldError]:
    """A type's attribute schema must be a valid 2020-12 object schema with well-named properties."""
    if not isinstance(schema, dict):
        return [FieldError("/schema", "must be a JSON Schema object")]
    unsafe = safeschema.problems_of(schema, "/schema")
    if unsafe:
        return unsafe
    errors = []
    if schema.get("type") != "object":
        errors.append(FieldError("/schema/type", "must be 'object' (a record's attributes are an object)"))
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        errors.append(FieldError("/schema/properties", "must declare at least one attribute"))
    else:
        errors.extend(
            FieldError(f"/schema/properties/{name}", "must be a letter or _ then letters, digits or _ (≤ 64)")
            for name in properties
            if not ATTRIBUTE_NAME.match(name)
        )
    return errors


def properties_of(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    props = schema.get("properties") or {}
    return {k: v if isinstance(v, dict) else {} for k, v in props.items()}
