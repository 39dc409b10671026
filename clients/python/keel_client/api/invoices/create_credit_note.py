from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.credit_note_in import CreditNoteIn
from ...models.credit_note_out_envelope import CreditNoteOutEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    invoice_id: UUID,
    *,
    body: CreditNoteIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/invoices/{invoice_id}/credit-notes".format(
            invoice_id=quote(str(invoice_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreditNoteOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 201:
        response_201 = CreditNoteOutEnvelope.from_dict(response.json())

        return response_201

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreditNoteOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    invoice_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CreditNoteIn,
) -> Response[CreditNoteOutEnvelope | ErrorEnvelope]:
    """Credit a finalized invoice: lines [{line, quantity}] or one gross amount; CN-{year}-{000001}

     More than what remains creditable is a 422. The credit lowers the amount due; an invoice with
    nothing left due is paid; what was paid beyond the new total becomes the customer's credit.

    Args:
        invoice_id (UUID):
        body (CreditNoteIn): Either ``lines`` (quantities of invoice lines, their tax credited
            alike) or one gross ``amount``
            (its tax split over the invoice's tax rates in proportion to their share of the total).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreditNoteOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        invoice_id=invoice_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    invoice_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CreditNoteIn,
) -> CreditNoteOutEnvelope | ErrorEnvelope | None:
    """Credit a finalized invoice: lines [{line, quantity}] or one gross amount; CN-{year}-{000001}

     More than what remains creditable is a 422. The credit lowers the amount due; an invoice with
    nothing left due is paid; what was paid beyond the new total becomes the customer's credit.

    Args:
        invoice_id (UUID):
        body (CreditNoteIn): Either ``lines`` (quantities of invoice lines, their tax credited
            alike) or one gross ``amount``
            (its tax split over the invoice's tax rates in proportion to their share of the total).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreditNoteOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        invoice_id=invoice_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    invoice_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CreditNoteIn,
) -> Response[CreditNoteOutEnvelope | ErrorEnvelope]:
    """Credit a finalized invoice: lines [{line, quantity}] or one gross amount; CN-{year}-{000001}

     More than what remains creditable is a 422. The credit lowers the amount due; an invoice with
    nothing left due is paid; what was paid beyond the new total becomes the customer's credit.

    Args:
        invoice_id (UUID):
        body (CreditNoteIn): Either ``lines`` (quantities of invoice lines, their tax credited
            alike) or one gross ``amount``
            (its tax split over the invoice's tax rates in proportion to their share of the total).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreditNoteOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        invoice_id=invoice_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    invoice_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CreditNoteIn,
) -> CreditNoteOutEnvelope | ErrorEnvelope | None:
    """Credit a finalized invoice: lines [{line, quantity}] or one gross amount; CN-{year}-{000001}

     More than what remains creditable is a 422. The credit lowers the amount due; an invoice with
    nothing left due is paid; what was paid beyond the new total becomes the customer's credit.

    Args:
        invoice_id (UUID):
        body (CreditNoteIn): Either ``lines`` (quantities of invoice lines, their tax credited
            alike) or one gross ``amount``
            (its tax split over the invoice's tax rates in proportion to their share of the total).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreditNoteOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            invoice_id=invoice_id,
            client=client,
            body=body,
        )
    ).parsed
