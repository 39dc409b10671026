"""Keel's custom Temporal search attributes, named once.

Pure values (only ``temporalio.common``), so workflows may import this module inside the sandbox;
``keel.temporal`` registers them, the API filters and reads them, workflows upsert them.
"""

from __future__ import annotations

from typing import Any

from temporalio.common import SearchAttributeKey

TENANT = SearchAttributeKey.for_keyword("KeelTenant")
DEFINITION = SearchAttributeKey.for_keyword("KeelDefinition")
BUSINESS_KEY = SearchAttributeKey.for_keyword("KeelBusinessKey")
PROCESS_ID = SearchAttributeKey.for_keyword("KeelProcessId")
# The events a waiting definition step expects, as "<name>:<correlation key>".
AWAITING = SearchAttributeKey.for_keyword_list("KeelAwaiting")
ALL: tuple[SearchAttributeKey[Any], ...] = (TENANT, DEFINITION, BUSINESS_KEY, PROCESS_ID, AWAITING)
