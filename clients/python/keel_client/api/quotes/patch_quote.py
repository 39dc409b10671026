from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.quote_out_envelope import QuoteOutEnvelope
from ...models.quote_patch import QuotePatch
from ...types import UNSET, Response, Unset


def _get_kwargs(
    quote_id: UUID,
    *,
    body: QuotePatch,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/quotes/{quote_id}".format(
            quote_id=quote(str(quote_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | QuoteOutEnvelope | None:
    if response.status_code == 200:
        response_200 = QuoteOutEnvelope.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = ErrorEnvelope.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

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
) -> Response[ErrorEnvelope | QuoteOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    quote_id: UUID,
    *,
    client: AuthenticatedClient,
    body: QuotePatch,
    if_match: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | QuoteOutEnvelope]:
    """Change a draft (lines are replaced as a whole); 409 once sent, 412 on a stale If-Match

    Args:
        quote_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (QuotePatch): Only the fields sent change; ``lines`` replace the draft's lines as a
            whole.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | QuoteOutEnvelope]
    """

    kwargs = _get_kwargs(
        quote_id=quote_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    quote_id: UUID,
    *,
    client: AuthenticatedClient,
    body: QuotePatch,
    if_match: None | str | Unset = UNSET,
) -> ErrorEnvelope | QuoteOutEnvelope | None:
    """Change a draft (lines are replaced as a whole); 409 once sent, 412 on a stale If-Match

    Args:
        quote_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (QuotePatch): Only the fields sent change; ``lines`` replace the draft's lines as a
            whole.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | QuoteOutEnvelope
    """

    return sync_detailed(
        quote_id=quote_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    quote_id: UUID,
    *,
    client: AuthenticatedClient,
    body: QuotePatch,
    if_match: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | QuoteOutEnvelope]:
    """Change a draft (lines are replaced as a whole); 409 once sent, 412 on a stale If-Match

    Args:
        quote_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (QuotePatch): Only the fields sent change; ``lines`` replace the draft's lines as a
            whole.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | QuoteOutEnvelope]
    """

    kwargs = _get_kwargs(
        quote_id=quote_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    quote_id: UUID,
    *,
    client: AuthenticatedClient,
    body: QuotePatch,
    if_match: None | str | Unset = UNSET,
) -> ErrorEnvelope | QuoteOutEnvelope | None:
    """Change a draft (lines are replaced as a whole); 409 once sent, 412 on a stale If-Match

    Args:
        quote_id (UUID):
        if_match (None | str | Unset): the ETag you read; 412 if the object changed since
        body (QuotePatch): Only the fields sent change; ``lines`` replace the draft's lines as a
            whole.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | QuoteOutEnvelope
    """

    return (
        await asyncio_detailed(
            quote_id=quote_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
