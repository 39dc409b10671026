from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.issue_token_data_token_request import IssueTokenDataTokenRequest
from ...models.issue_token_json_token_request import IssueTokenJsonTokenRequest
from ...models.token_response import TokenResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: IssueTokenDataTokenRequest | IssueTokenJsonTokenRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/token",
    }

    if isinstance(body, IssueTokenDataTokenRequest):
        _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if isinstance(body, IssueTokenJsonTokenRequest):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TokenResponse | None:
    if response.status_code == 200:
        response_200 = TokenResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | TokenResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: IssueTokenDataTokenRequest | IssueTokenJsonTokenRequest | Unset = UNSET,
) -> Response[ErrorEnvelope | TokenResponse]:
    """Sign in (OAuth2 password grant), then refresh; with a second factor, two steps

     Form or JSON. `grant_type=password` with username (or email), password and tenant (the tenant's
    domain or id; `client_id` is an alias), which an account whose email is in several tenants needs: an
    access token and a refresh token (a new sign-in session). A user with a second factor gets a 403
    `mfa_required` whose `details` hold an `mfa_token` (5 minutes): then `grant_type=mfa_otp` with
    `mfa_token` and `code` (the authenticator's, or a recovery code). `grant_type=refresh_token` answers
    a new access token and the NEXT refresh token: each refresh token works once, and one used again
    revokes its whole session. Every sign-in failure is the same 401 `unauthenticated` ("Invalid
    credentials."). Every answer carries `Cache-Control: no-store`.

    Args:
        body (IssueTokenDataTokenRequest):
        body (IssueTokenJsonTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TokenResponse]
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
    body: IssueTokenDataTokenRequest | IssueTokenJsonTokenRequest | Unset = UNSET,
) -> ErrorEnvelope | TokenResponse | None:
    """Sign in (OAuth2 password grant), then refresh; with a second factor, two steps

     Form or JSON. `grant_type=password` with username (or email), password and tenant (the tenant's
    domain or id; `client_id` is an alias), which an account whose email is in several tenants needs: an
    access token and a refresh token (a new sign-in session). A user with a second factor gets a 403
    `mfa_required` whose `details` hold an `mfa_token` (5 minutes): then `grant_type=mfa_otp` with
    `mfa_token` and `code` (the authenticator's, or a recovery code). `grant_type=refresh_token` answers
    a new access token and the NEXT refresh token: each refresh token works once, and one used again
    revokes its whole session. Every sign-in failure is the same 401 `unauthenticated` ("Invalid
    credentials."). Every answer carries `Cache-Control: no-store`.

    Args:
        body (IssueTokenDataTokenRequest):
        body (IssueTokenJsonTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: IssueTokenDataTokenRequest | IssueTokenJsonTokenRequest | Unset = UNSET,
) -> Response[ErrorEnvelope | TokenResponse]:
    """Sign in (OAuth2 password grant), then refresh; with a second factor, two steps

     Form or JSON. `grant_type=password` with username (or email), password and tenant (the tenant's
    domain or id; `client_id` is an alias), which an account whose email is in several tenants needs: an
    access token and a refresh token (a new sign-in session). A user with a second factor gets a 403
    `mfa_required` whose `details` hold an `mfa_token` (5 minutes): then `grant_type=mfa_otp` with
    `mfa_token` and `code` (the authenticator's, or a recovery code). `grant_type=refresh_token` answers
    a new access token and the NEXT refresh token: each refresh token works once, and one used again
    revokes its whole session. Every sign-in failure is the same 401 `unauthenticated` ("Invalid
    credentials."). Every answer carries `Cache-Control: no-store`.

    Args:
        body (IssueTokenDataTokenRequest):
        body (IssueTokenJsonTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: IssueTokenDataTokenRequest | IssueTokenJsonTokenRequest | Unset = UNSET,
) -> ErrorEnvelope | TokenResponse | None:
    """Sign in (OAuth2 password grant), then refresh; with a second factor, two steps

     Form or JSON. `grant_type=password` with username (or email), password and tenant (the tenant's
    domain or id; `client_id` is an alias), which an account whose email is in several tenants needs: an
    access token and a refresh token (a new sign-in session). A user with a second factor gets a 403
    `mfa_required` whose `details` hold an `mfa_token` (5 minutes): then `grant_type=mfa_otp` with
    `mfa_token` and `code` (the authenticator's, or a recovery code). `grant_type=refresh_token` answers
    a new access token and the NEXT refresh token: each refresh token works once, and one used again
    revokes its whole session. Every sign-in failure is the same 401 `unauthenticated` ("Invalid
    credentials."). Every answer carries `Cache-Control: no-store`.

    Args:
        body (IssueTokenDataTokenRequest):
        body (IssueTokenJsonTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TokenResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
