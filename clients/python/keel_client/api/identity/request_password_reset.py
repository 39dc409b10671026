from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_envelope import EmptyEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...models.password_reset_request import PasswordResetRequest
from ...types import Response


def _get_kwargs(
    *,
    body: PasswordResetRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/password-reset",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmptyEnvelope | ErrorEnvelope | None:
    if response.status_code == 202:
        response_202 = EmptyEnvelope.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EmptyEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,
) -> Response[EmptyEnvelope | ErrorEnvelope]:
    """Ask for a password reset email; the answer is the same whether the address exists or not

     Always 202 with the same body, answered before any lookup (the account is looked up and the email
    written after the answer), so neither the answer nor its timing tells whether the address has an
    account. The email holds a token that works once, for 30 minutes, at `POST /api/v1/auth/password-
    reset/confirm`; a newer request replaces it. `tenant` (domain or id) is needed when the address has
    accounts in several tenants. Counted per client address and per email against the sign-in throttle
    (429 with Retry-After).

    Args:
        body (PasswordResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyEnvelope | ErrorEnvelope]
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
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,
) -> EmptyEnvelope | ErrorEnvelope | None:
    """Ask for a password reset email; the answer is the same whether the address exists or not

     Always 202 with the same body, answered before any lookup (the account is looked up and the email
    written after the answer), so neither the answer nor its timing tells whether the address has an
    account. The email holds a token that works once, for 30 minutes, at `POST /api/v1/auth/password-
    reset/confirm`; a newer request replaces it. `tenant` (domain or id) is needed when the address has
    accounts in several tenants. Counted per client address and per email against the sign-in throttle
    (429 with Retry-After).

    Args:
        body (PasswordResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,
) -> Response[EmptyEnvelope | ErrorEnvelope]:
    """Ask for a password reset email; the answer is the same whether the address exists or not

     Always 202 with the same body, answered before any lookup (the account is looked up and the email
    written after the answer), so neither the answer nor its timing tells whether the address has an
    account. The email holds a token that works once, for 30 minutes, at `POST /api/v1/auth/password-
    reset/confirm`; a newer request replaces it. `tenant` (domain or id) is needed when the address has
    accounts in several tenants. Counted per client address and per email against the sign-in throttle
    (429 with Retry-After).

    Args:
        body (PasswordResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,
) -> EmptyEnvelope | ErrorEnvelope | None:
    """Ask for a password reset email; the answer is the same whether the address exists or not

     Always 202 with the same body, answered before any lookup (the account is looked up and the email
    written after the answer), so neither the answer nor its timing tells whether the address has an
    account. The email holds a token that works once, for 30 minutes, at `POST /api/v1/auth/password-
    reset/confirm`; a newer request replaces it. `tenant` (domain or id) is needed when the address has
    accounts in several tenants. Counted per client address and per email against the sign-in throttle
    (429 with Retry-After).

    Args:
        body (PasswordResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
