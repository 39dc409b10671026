import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.fx_rate_out_page import FxRateOutPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    base: None | str | Unset = UNSET,
    quote: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_base: None | str | Unset
    if isinstance(base, Unset):
        json_base = UNSET
    else:
        json_base = base
    params["base"] = json_base

    json_quote: None | str | Unset
    if isinstance(quote, Unset):
        json_quote = UNSET
    else:
        json_quote = quote
    params["quote"] = json_quote

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.date):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.date):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    json_limit: int | None | Unset
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/fx-rates",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | FxRateOutPage | None:
    if response.status_code == 200:
        response_200 = FxRateOutPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

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
) -> Response[ErrorEnvelope | FxRateOutPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    base: None | str | Unset = UNSET,
    quote: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | FxRateOutPage]:
    """List rates, newest first: ?base=, ?quote=, ?from=, ?to= (dates, inclusive)

    Args:
        base (None | str | Unset):
        quote (None | str | Unset):
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | FxRateOutPage]
    """

    kwargs = _get_kwargs(
        base=base,
        quote=quote,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    base: None | str | Unset = UNSET,
    quote: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> ErrorEnvelope | FxRateOutPage | None:
    """List rates, newest first: ?base=, ?quote=, ?from=, ?to= (dates, inclusive)

    Args:
        base (None | str | Unset):
        quote (None | str | Unset):
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | FxRateOutPage
    """

    return sync_detailed(
        client=client,
        base=base,
        quote=quote,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    base: None | str | Unset = UNSET,
    quote: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | FxRateOutPage]:
    """List rates, newest first: ?base=, ?quote=, ?from=, ?to= (dates, inclusive)

    Args:
        base (None | str | Unset):
        quote (None | str | Unset):
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | FxRateOutPage]
    """

    kwargs = _get_kwargs(
        base=base,
        quote=quote,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    base: None | str | Unset = UNSET,
    quote: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> ErrorEnvelope | FxRateOutPage | None:
    """List rates, newest first: ?base=, ?quote=, ?from=, ?to= (dates, inclusive)

    Args:
        base (None | str | Unset):
        quote (None | str | Unset):
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | FxRateOutPage
    """

    return (
        await asyncio_detailed(
            client=client,
            base=base,
            quote=quote,
            from_=from_,
            to=to,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
