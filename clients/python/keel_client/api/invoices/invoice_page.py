from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    invoice_id: UUID,
    number: int,
    *,
    scale: float | Unset = 1.0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["scale"] = scale

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/invoices/{invoice_id}/pdf/pages/{number}".format(
            invoice_id=quote(str(invoice_id), safe=""),
            number=quote(str(number), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    invoice_id: UUID,
    number: int,
    *,
    client: AuthenticatedClient,
    scale: float | Unset = 1.0,
) -> Response[ErrorEnvelope | File]:
    """A page of the invoice's PDF as a PNG image (its preview); 409 on a draft, 422 past its end

    Args:
        invoice_id (UUID):
        number (int): the page, from 1
        scale (float | Unset): pixels per PDF point: 1 is 72 dpi, 2 is 144 dpi Default: 1.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | File]
    """

    kwargs = _get_kwargs(
        invoice_id=invoice_id,
        number=number,
        scale=scale,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    invoice_id: UUID,
    number: int,
    *,
    client: AuthenticatedClient,
    scale: float | Unset = 1.0,
) -> ErrorEnvelope | File | None:
    """A page of the invoice's PDF as a PNG image (its preview); 409 on a draft, 422 past its end

    Args:
        invoice_id (UUID):
        number (int): the page, from 1
        scale (float | Unset): pixels per PDF point: 1 is 72 dpi, 2 is 144 dpi Default: 1.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | File
    """

    return sync_detailed(
        invoice_id=invoice_id,
        number=number,
        client=client,
        scale=scale,
    ).parsed


async def asyncio_detailed(
    invoice_id: UUID,
    number: int,
    *,
    client: AuthenticatedClient,
    scale: float | Unset = 1.0,
) -> Response[ErrorEnvelope | File]:
    """A page of the invoice's PDF as a PNG image (its preview); 409 on a draft, 422 past its end

    Args:
        invoice_id (UUID):
        number (int): the page, from 1
        scale (float | Unset): pixels per PDF point: 1 is 72 dpi, 2 is 144 dpi Default: 1.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | File]
    """

    kwargs = _get_kwargs(
        invoice_id=invoice_id,
        number=number,
        scale=scale,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    invoice_id: UUID,
    number: int,
    *,
    client: AuthenticatedClient,
    scale: float | Unset = 1.0,
) -> ErrorEnvelope | File | None:
    """A page of the invoice's PDF as a PNG image (its preview); 409 on a draft, 422 past its end

    Args:
        invoice_id (UUID):
        number (int): the page, from 1
        scale (float | Unset): pixels per PDF point: 1 is 72 dpi, 2 is 144 dpi Default: 1.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | File
    """

    return (
        await asyncio_detailed(
            invoice_id=invoice_id,
            number=number,
            client=client,
            scale=scale,
        )
    ).parsed
