"""The JSON Schema of a YAML format (process definitions, metrics, decision tables), as its pydantic model
defines it: the document, the text the repository keeps under ``definitions/``, and the validator."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from pydantic import BaseModel

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class FormatSchema:
    model: type[BaseModel]
    path: Path  # where the schema is written: definitions/schema.json, definitions/metrics/schema.json…

    def document(self) -> dict[str, Any]:
        """The JSON Schema of the format, as the model defines it."""
        return {"$schema": JSON_SCHEMA_DIALECT, **self.model.model_json_schema(by_alias=True)}

    def text(self) -> str:
        """The schema file as it must be written."""
        return json.dumps(self.document(), indent=2, ensure_ascii=False) + "\n"

    @functools.cached_property
    def validator(self) -> Draft202012Validator:
        """Built once: from the written file, or the model when there is none (an installed package has
        no definitions/ folder next to it; the model gives the same schema)."""
        schema = json.loads(self.path.read_text("utf-8")) if self.path.is_file() else self.document()
        return Draft202012Validator(schema)
