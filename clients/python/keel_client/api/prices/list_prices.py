from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.list_prices_type_type_0 import ListPricesTypeType0
from ...models.price_out_page import PriceOutPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    product: None | Unset | UUID = UNSET,
    currency: None | str | Unset = UNSET,
    type_: ListPricesTypeType0 | None | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_product: None | str | Unset
    if isinstance(product, Unset):
        json_product = UNSET
    elif isinstance(product, UUID):
        json_product = str(product)
    else:
        json_product = product
    params["product"] = json_product

    json_currency: None | str | Unset
    if isinstance(currency, Unset):
        json_currency = UNSET
    else:
        json_currency = currency
    params["currency"] = json_currency

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, ListPricesTypeType0):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_active: bool | None | Unset
    if isinstance(active, Unset):
        json_active = UNSET
    else:
        json_active = active
    params["active"] = json_active

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
        "url": "/api/v1/prices",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | PriceOutPage | None:
    if response.status_code == 200:
        response_200 = PriceOutPage.from_dict(response.json())

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
) -> Response[ErrorEnvelope | PriceOutPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    product: None | Unset | UUID = UNSET,
    currency: None | str | Unset = UNSET,
    type_: ListPricesTypeType0 | None | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | PriceOutPage]:
    """List prices, newest first: ?product=, ?currency=, ?type=, ?active=

    Args:
        product (None | Unset | UUID):
        currency (None | str | Unset):
        type_ (ListPricesTypeType0 | None | Unset):
        active (bool | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PriceOutPage]
    """

    kwargs = _get_kwargs(
        product=product,
        currency=currency,
        type_=type_,
        active=active,
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
    product: None | Unset | UUID = UNSET,
    currency: None | str | Unset = UNSET,
    type_: ListPricesTypeType0 | None | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> ErrorEnvelope | PriceOutPage | None:
    """List prices, newest first: ?product=, ?currency=, ?type=, ?active=

    Args:
        product (None | Unset | UUID):
        currency (None | str | Unset):
        type_ (ListPricesTypeType0 | None | Unset):
        active (bool | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PriceOutPage
    """

    return sync_detailed(
        client=client,
        product=product,
        currency=currency,
        type_=type_,
        active=active,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    product: None | Unset | UUID = UNSET,
    currency: None | str | Unset = UNSET,
    type_: ListPricesTypeType0 | None | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> Response[ErrorEnvelope | PriceOutPage]:
    """List prices, newest first: ?product=, ?currency=, ?type=, ?active=

    Args:
        product (None | Unset | UUID):
        currency (None | str | Unset):
        type_ (ListPricesTypeType0 | None | Unset):
        active (bool | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PriceOutPage]
    """

    kwargs = _get_kwargs(
        product=product,
        currency=currency,
        type_=type_,
        active=active,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    product: None | Unset | UUID = UNSET,
    currency: None | str | Unset = UNSET,
    type_: ListPricesTypeType0 | None | Unset = UNSET,
    active: bool | None | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
) -> ErrorEnvelope | PriceOutPage | None:
    """List prices, newest first: ?product=, ?currency=, ?type=, ?active=

    Args:
        product (None | Unset | UUID):
        currency (None | str | Unset):
        type_ (ListPricesTypeType0 | None | Unset):
        active (bool | None | Unset):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PriceOutPage
    """

    return (
        await asyncio_detailed(
            client=client,
            product=product,
            currency=currency,
            type_=type_,
            active=active,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
