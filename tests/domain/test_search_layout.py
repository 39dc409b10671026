"""How a type is laid out in Typesense, how events map to index work, and how filters are translated."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from db.models.entities import Entity, EntityType
from domain.errors import ValidationFailed
from domain.search import indexing, service
from domain.search.indexing import ATTRIBUTES, batch_of, document, layout

TENANT = uuid.UUID("00000000-0000-0000-0000-0000000000aa")
SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "city": {"type": ["string", "null"]},
        "age": {"type": "integer"},
        "score": {"type": "number"},
        "vip": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "notes": {"type": "object"},
    },
}


def etype(search: dict[str, Any] | None, **extra: Any) -> EntityType:
    return EntityType(
        id=uuid.uuid4(), tenant_id=TENANT, name="customer", schema=SCHEMA, search=search, version=1, **extra
    )


def test_fields_follow_the_json_schema_and_the_search_settings() -> None:
    lay = layout(etype({"fields": ["name", "tags", "age"], "facets": ["city", "vip"], "locale": "ja"}))
    fields = {f["name"]: f for f in lay.fields}
    assert fields["name"] == {
        "name": "name",
        "type": "string",
        "optional": True,
        "facet": False,
        "sort": True,
        "locale": "ja",
    }
    assert fields["tags"]["type"] == "string[]" and fields["age"]["type"] == "int64"
    assert fields["city"]["facet"] is True and fields["city"]["type"] == "string"
    assert fields["vip"] == {"name": "vip", "type": "bool", "optional": True, "facet": True}
    assert "notes" not in fields and "score" not in fields
    assert lay.query_by == ["name", "tags"]  # numbers are filterable, not matched by q
    assert lay.facets == {"city", "vip", "status"}


def test_a_change_of_indexed_settings_changes_the_digest_and_others_do_not() -> None:
    base = layout(etype({"fields": ["name"]})).digest
    assert layout(etype({"fields": ["name"]}, label="Customers")).digest == base
    assert layout(etype({"fields": ["name", "city"]})).digest != base
    assert layout(etype({"fields": ["name"], "locale": "th"})).digest != base


def test_a_latin_script_locale_keeps_the_default_tokenizer() -> None:
    # Typesense 0.24 stops folding accents and tolerating typos on a field with such a locale.
    for locale in ("fr", "de", "pt-BR", "en"):
        fields = layout(etype({"fields": ["name", "tags"], "locale": locale})).fields
        assert all("locale" not in f for f in fields), locale
    assert layout(etype({"fields": ["name"], "locale": "zh-Hans"})).fields[-1]["locale"] == "zh-Hans"


def test_documents_keep_every_attribute_and_index_the_declared_ones() -> None:
    t = etype({"fields": ["name", "tags"], "facets": ["age"]})
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    attrs = {"name": "Zoë", "tags": ["a", 1], "age": 30, "notes": {"x": 1}}
    record = Entity(
        id=uuid.uuid4(),
        type_id=t.id,
        status="active",
        attributes=attrs,
        created_at=created,
        updated_at=created,
    )
    doc = document(t, record)
    assert doc["id"] == str(record.id) and doc["status"] == "active"
    assert doc["name"] == "Zoë" and doc["tags"] == ["a", "1"] and doc["age"] == 30
    assert doc["created_at"] == int(created.timestamp() * 1000)
    assert doc[ATTRIBUTES] == attrs and "notes" not in doc and "external_id" not in doc


def test_outbox_events_become_record_ids_and_type_rebuilds() -> None:
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    batch = batch_of(
        TENANT,
        [
            ("entity.created", {"type": "customer", "id": a, "version": 1}),
            ("entity.deleted", {"type": "customer", "id": b, "version": 2}),
            ("entity.batch_changed", {"type": "supplier", "ids": [c], "source": "bulk"}),
            ("entity_type.changed", {"type": "supplier", "version": 2}),
            ("task.created", {"type": "approval", "id": a}),
            ("entity.updated", {"id": a}),  # no type: ignored
        ],
    )
    assert batch is not None
    assert batch.changes == {"customer": [a, b], "supplier": [c]}
    assert batch.reindex == {"supplier": False}
    assert batch_of(TENANT, [("task.created", {"id": a})]) is None


def test_filters_are_translated_per_field_type() -> None:
    t = etype({"fields": ["name"], "facets": ["city", "vip"], "sortable": ["age", "score"]})
    lay = layout(t)
    got = service._filter_by(
        t,
        lay,
        {
            "city": ["Paris", "Saint-Denis, FR"],
            "age": {"gte": 30, "lt": 40},
            "score": 1.5,
            "vip": True,
            "status": {"ne": "inactive"},
            "created_at": {"gte": "2026-01-01T00:00:00+00:00"},
        },
    )
    assert got.split(" && ") == [
        "city:=[`Paris`,`Saint-Denis, FR`]",
        "age:>=30",
        "age:<40",
        "score:=[1.5]",
        "vip:=[true]",
        "status:!=[`inactive`]",
        f"created_at:>={int(datetime(2026, 1, 1, tzinfo=UTC).timestamp() * 1000)}",
    ]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"notes": "x"}, "/filters/notes"),
        ({"city": {"gt": "A"}}, "/filters/city/gt"),
        ({"age": "old"}, "/filters/age"),
        ({"age": {"near": 3}}, "/filters/age/near"),
        ({"vip": "yes"}, "/filters/vip"),
        ({"city": []}, "/filters/city"),
        ({"city": "a`b"}, "/filters/city"),
        ({"created_at": {"gte": "yesterday"}}, "/filters/created_at/gte"),
    ],
)
def test_bad_filters_name_their_field(filters: dict[str, Any], field: str) -> None:
    t = etype({"fields": ["name"], "facets": ["city", "vip"], "sortable": ["age"]})
    with pytest.raises(ValidationFailed) as caught:
        service._filter_by(t, layout(t), filters)
    assert [f.field for f in caught.value.fields] == [field]


def test_sorting_defaults_and_refusals() -> None:
    t = etype({"fields": ["name", "tags"], "facets": ["vip"], "sortable": ["age"]})
    lay = layout(t)
    assert service._sort_by(t, lay, None, "x") == "_text_match:desc,created_at:desc"
    assert service._sort_by(t, lay, None, "") == "created_at:desc"
    assert service._sort_by(t, lay, "age:desc, name", "") == "age:desc,name:asc"
    for bad in ("tags:asc", "vip:asc", "colour:asc", "age:up", "age,name,created_at,updated_at"):
        with pytest.raises(ValidationFailed):
            service._sort_by(t, lay, bad, "")


def test_collection_names_are_derived_from_the_tenant() -> None:
    t = etype({"fields": ["name"]})
    assert indexing.alias_name(TENANT, "customer") == f"t_{TENANT.hex}_customer"
    name, n = indexing._collection_of(t, layout(t))
    assert name == f"t_{TENANT.hex}_customer_{layout(t).digest}_v1" and n == 1
    t.index_collection = name
    assert indexing.is_current(t) and indexing._collection_of(t, layout(t))[0].endswith("_v2")


def test_a_batch_too_big_to_hand_over_becomes_a_rebuild_of_its_largest_types() -> None:
    events = [("entity.batch_changed", {"type": "big", "ids": [str(uuid.uuid4()) for _ in range(30)]})]
    events += [("entity.created", {"type": "small", "id": str(uuid.uuid4())}) for _ in range(5)]
    batch = batch_of(TENANT, events, max_ids=10)
    assert batch is not None
    assert list(batch.changes) == ["small"] and len(batch.changes["small"]) == 5
    assert batch.reindex == {"big": True}
