from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.duplicate_pair_page import DuplicatePairPage
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    type_: str,
    *,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/entities/{type_}/duplicates".format(
            type_=quote(str(type_), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DuplicatePairPage | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = DuplicatePairPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DuplicatePairPage | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    type_: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
) -> Response[DuplicatePairPage | ErrorEnvelope]:
    """Pairs of live records whose dedup fields are at least as similar as the type's threshold (pg_trgm),
    each pair once, most similar first

    Args:
        type_ (str):
        limit (int | Unset): pairs to return Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DuplicatePairPage | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        type_=type_,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    type_: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
) -> DuplicatePairPage | ErrorEnvelope | None:
    """Pairs of live records whose dedup fields are at least as similar as the type's threshold (pg_trgm),
    each pair once, most similar first

    Args:
        type_ (str):
        limit (int | Unset): pairs to return Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DuplicatePairPage | ErrorEnvelope
    """

    return sync_detailed(
        type_=type_,
        client=client,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    type_: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
) -> Response[DuplicatePairPage | ErrorEnvelope]:
    """Pairs of live records whose dedup fields are at least as similar as the type's threshold (pg_trgm),
    each pair once, most similar first

    Args:
        type_ (str):
        limit (int | Unset): pairs to return Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DuplicatePairPage | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        type_=type_,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    type_: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
) -> DuplicatePairPage | ErrorEnvelope | None:
    """Pairs of live records whose dedup fields are at least as similar as the type's threshold (pg_trgm),
    each pair once, most similar first

    Args:
        type_ (str):
        limit (int | Unset): pairs to return Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DuplicatePairPage | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            type_=type_,
            client=client,
            limit=limit,
        )
    ).parsed
