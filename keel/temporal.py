"""The Temporal client (pydantic data converter) and Keel's custom search attributes."""

from __future__ import annotations

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.contrib.pydantic import pydantic_data_converter

from keel.settings import Settings

TENANT = SearchAttributeKey.for_keyword("KeelTenant")
DEFINITION = SearchAttributeKey.for_keyword("KeelDefinition")
BUSINESS_KEY = SearchAttributeKey.for_keyword("KeelBusinessKey")
PROCESS_ID = SearchAttributeKey.for_keyword("KeelProcessId")
SEARCH_ATTRIBUTES = (TENANT, DEFINITION, BUSINESS_KEY, PROCESS_ID)


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.require_temporal_address(),
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
    )


async def ensure_search_attributes(client: Client) -> list[str]:
    """Register Keel's search attributes if the namespace lacks them; returns those added."""
    existing = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=client.namespace)
    )
    known = set(existing.custom_attributes) | set(existing.system_attributes)
    missing = [key.name for key in SEARCH_ATTRIBUTES if key.name not in known]
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=client.namespace,
                search_attributes={name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for name in missing},
            )
        )
    return missing


def dev_server_args() -> list[str]:
    """``--search-attribute`` flags for ``temporal server start-dev``."""
    args: list[str] = []
    for key in SEARCH_ATTRIBUTES:
        args += ["--search-attribute", f"{key.name}=Keyword"]
    return args
