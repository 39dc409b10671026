"""The baseline for the CRUD ratio: a bare FastAPI + SQLAlchemy endpoint inserting the same row.

No authentication, validation, history, audit or events: one ORM insert in a tenant transaction.

    python benchmarks/bare_insert.py PORT TENANT_ID TYPE_ID   (database URL from KEEL_DATABASE_URL)
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.models import Entity
from db.session import make_engine, tenant_session
from domain.entities.schemas import EntityIn


def build(database_url: str, tenant_id: uuid.UUID, type_id: uuid.UUID) -> FastAPI:
    app = FastAPI()
    engine = make_engine(database_url, pool_size=20)

    @app.post("/bare", status_code=201)
    def insert(body: EntityIn) -> dict[str, Any]:
        with tenant_session(engine, tenant_id) as session:
            entity = Entity(
                tenant_id=tenant_id, type_id=type_id, attributes=body.attributes, status=body.status
            )
            session.add(entity)
            session.flush()
            return {"data": {"id": str(entity.id)}}

    return app


if __name__ == "__main__":
    port, tenant, type_id = int(sys.argv[1]), uuid.UUID(sys.argv[2]), uuid.UUID(sys.argv[3])
    app = build(os.environ["KEEL_DATABASE_URL"], tenant, type_id)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
