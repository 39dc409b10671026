from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.entity_search_in import EntitySearchIn
from ...models.error_envelope import ErrorEnvelope
from ...models.hit_page import HitPage
from ...types import Response


def _get_kwargs(
    type_name: str,
    *,
    body: EntitySearchIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/entities/{type_name}/search".format(
            type_name=quote(str(type_name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | HitPage | None:
    if response.status_code == 200:
        response_200 = HitPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | HitPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: EntitySearchIn,
) -> Response[ErrorEnvelope | HitPage]:
    """Search one type's records: typo-tolerant, prefix matching, filters, facets, sort; meta has found,
    page, facets and the query_id to report clicks with

    Args:
        type_name (str):
        body (EntitySearchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | HitPage]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: EntitySearchIn,
) -> ErrorEnvelope | HitPage | None:
    """Search one type's records: typo-tolerant, prefix matching, filters, facets, sort; meta has found,
    page, facets and the query_id to report clicks with

    Args:
        type_name (str):
        body (EntitySearchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | HitPage
    """

    return sync_detailed(
        type_name=type_name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: EntitySearchIn,
) -> Response[ErrorEnvelope | HitPage]:
    """Search one type's records: typo-tolerant, prefix matching, filters, facets, sort; meta has found,
    page, facets and the query_id to report clicks with

    Args:
        type_name (str):
        body (EntitySearchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | HitPage]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    type_name: str,
    *,
    client: AuthenticatedClient,
    body: EntitySearchIn,
) -> ErrorEnvelope | HitPage | None:
    """Search one type's records: typo-tolerant, prefix matching, filters, facets, sort; meta has found,
    page, facets and the query_id to report clicks with

    Args:
        type_name (str):
        body (EntitySearchIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | HitPage
    """

    return (
        await asyncio_detailed(
            type_name=type_name,
            client=client,
            body=body,
        )
    ).parsed
