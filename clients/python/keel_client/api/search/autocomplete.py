from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.suggestion_page import SuggestionPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    type_name: str,
    *,
    q: str,
    limit: int | Unset = 5,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["q"] = q

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/entities/{type_name}/autocomplete".format(
            type_name=quote(str(type_name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | SuggestionPage | None:
    if response.status_code == 200:
        response_200 = SuggestionPage.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

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
) -> Response[ErrorEnvelope | SuggestionPage]:
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
    q: str,
    limit: int | Unset = 5,
) -> Response[ErrorEnvelope | SuggestionPage]:
    """Suggestions for what was typed so far (prefix and typo tolerant)

    Args:
        type_name (str):
        q (str):
        limit (int | Unset):  Default: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SuggestionPage]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        q=q,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    type_name: str,
    *,
    client: AuthenticatedClient,
    q: str,
    limit: int | Unset = 5,
) -> ErrorEnvelope | SuggestionPage | None:
    """Suggestions for what was typed so far (prefix and typo tolerant)

    Args:
        type_name (str):
        q (str):
        limit (int | Unset):  Default: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SuggestionPage
    """

    return sync_detailed(
        type_name=type_name,
        client=client,
        q=q,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    type_name: str,
    *,
    client: AuthenticatedClient,
    q: str,
    limit: int | Unset = 5,
) -> Response[ErrorEnvelope | SuggestionPage]:
    """Suggestions for what was typed so far (prefix and typo tolerant)

    Args:
        type_name (str):
        q (str):
        limit (int | Unset):  Default: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SuggestionPage]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        q=q,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    type_name: str,
    *,
    client: AuthenticatedClient,
    q: str,
    limit: int | Unset = 5,
) -> ErrorEnvelope | SuggestionPage | None:
    """Suggestions for what was typed so far (prefix and typo tolerant)

    Args:
        type_name (str):
        q (str):
        limit (int | Unset):  Default: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SuggestionPage
    """

    return (
        await asyncio_detailed(
            type_name=type_name,
            client=client,
            q=q,
            limit=limit,
        )
    ).parsed
