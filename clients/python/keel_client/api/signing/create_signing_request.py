from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.signing_request_in import SigningRequestIn
from ...models.signing_request_out_envelope import SigningRequestOutEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: SigningRequestIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/signing-requests",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | SigningRequestOutEnvelope | None:
    if response.status_code == 201:
        response_201 = SigningRequestOutEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | SigningRequestOutEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SigningRequestIn,
) -> Response[ErrorEnvelope | SigningRequestOutEnvelope]:
    """Send a PDF document to be signed

     Signers of one `order` sign in parallel; orders run in sequence (1..n, no gaps); `cc` recipients get
    the completed document only. Each signer whose turn it is gets an email with a link `/sign/{token}`.
    `auth: sms_otp` also asks for a code sent by SMS to `phone` (E.164). A field's `signer` is the
    signer's index in `signers` (from 0) or its email address; a field is a box (`page`, `x`, `y`,
    `width`, `height` in PDF points from the page's top-left) or is placed just after every occurrence
    of an `anchor` text. `text` fields are filled in by their signer; `signature`, `initials` and `date`
    from the signature and the time of signing. `expires_in` PT1H..P365D (default P14D);
    `reminders.every` at least PT1H and shorter than `expires_in`. Another tenant's document is a 404; a
    document that is not a ready PDF, a field outside its page, an anchor not found, duplicate emails,
    an order gap, `sms_otp` without a phone or no signer at all is a 422 naming each field, and nothing
    is stored or sent.

    Args:
        body (SigningRequestIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SigningRequestOutEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SigningRequestIn,
) -> ErrorEnvelope | SigningRequestOutEnvelope | None:
    """Send a PDF document to be signed

     Signers of one `order` sign in parallel; orders run in sequence (1..n, no gaps); `cc` recipients get
    the completed document only. Each signer whose turn it is gets an email with a link `/sign/{token}`.
    `auth: sms_otp` also asks for a code sent by SMS to `phone` (E.164). A field's `signer` is the
    signer's index in `signers` (from 0) or its email address; a field is a box (`page`, `x`, `y`,
    `width`, `height` in PDF points from the page's top-left) or is placed just after every occurrence
    of an `anchor` text. `text` fields are filled in by their signer; `signature`, `initials` and `date`
    from the signature and the time of signing. `expires_in` PT1H..P365D (default P14D);
    `reminders.every` at least PT1H and shorter than `expires_in`. Another tenant's document is a 404; a
    document that is not a ready PDF, a field outside its page, an anchor not found, duplicate emails,
    an order gap, `sms_otp` without a phone or no signer at all is a 422 naming each field, and nothing
    is stored or sent.

    Args:
        body (SigningRequestIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SigningRequestOutEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SigningRequestIn,
) -> Response[ErrorEnvelope | SigningRequestOutEnvelope]:
    """Send a PDF document to be signed

     Signers of one `order` sign in parallel; orders run in sequence (1..n, no gaps); `cc` recipients get
    the completed document only. Each signer whose turn it is gets an email with a link `/sign/{token}`.
    `auth: sms_otp` also asks for a code sent by SMS to `phone` (E.164). A field's `signer` is the
    signer's index in `signers` (from 0) or its email address; a field is a box (`page`, `x`, `y`,
    `width`, `height` in PDF points from the page's top-left) or is placed just after every occurrence
    of an `anchor` text. `text` fields are filled in by their signer; `signature`, `initials` and `date`
    from the signature and the time of signing. `expires_in` PT1H..P365D (default P14D);
    `reminders.every` at least PT1H and shorter than `expires_in`. Another tenant's document is a 404; a
    document that is not a ready PDF, a field outside its page, an anchor not found, duplicate emails,
    an order gap, `sms_otp` without a phone or no signer at all is a 422 naming each field, and nothing
    is stored or sent.

    Args:
        body (SigningRequestIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SigningRequestOutEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SigningRequestIn,
) -> ErrorEnvelope | SigningRequestOutEnvelope | None:
    """Send a PDF document to be signed

     Signers of one `order` sign in parallel; orders run in sequence (1..n, no gaps); `cc` recipients get
    the completed document only. Each signer whose turn it is gets an email with a link `/sign/{token}`.
    `auth: sms_otp` also asks for a code sent by SMS to `phone` (E.164). A field's `signer` is the
    signer's index in `signers` (from 0) or its email address; a field is a box (`page`, `x`, `y`,
    `width`, `height` in PDF points from the page's top-left) or is placed just after every occurrence
    of an `anchor` text. `text` fields are filled in by their signer; `signature`, `initials` and `date`
    from the signature and the time of signing. `expires_in` PT1H..P365D (default P14D);
    `reminders.every` at least PT1H and shorter than `expires_in`. Another tenant's document is a 404; a
    document that is not a ready PDF, a field outside its page, an anchor not found, duplicate emails,
    an order gap, `sms_otp` without a phone or no signer at all is a 422 naming each field, and nothing
    is stored or sent.

    Args:
        body (SigningRequestIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SigningRequestOutEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
