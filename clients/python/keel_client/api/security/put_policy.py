from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.security_policy import SecurityPolicy
from ...models.security_policy_envelope import SecurityPolicyEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: SecurityPolicy,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/tenant/security",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | SecurityPolicyEnvelope | None:
    if response.status_code == 200:
        response_200 = SecurityPolicyEnvelope.from_dict(response.json())

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

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | SecurityPolicyEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SecurityPolicy,
) -> Response[ErrorEnvelope | SecurityPolicyEnvelope]:
    """Set the tenant's security policy: `mfa_required` asks every user for a second factor

     Users without a factor still sign in, then reach only /api/v1/me/mfa until they enrol (403
    `mfa_enrollment_required` elsewhere). A role may ask the same of its holders (`mfa_required`).

    Args:
        body (SecurityPolicy):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SecurityPolicyEnvelope]
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
    body: SecurityPolicy,
) -> ErrorEnvelope | SecurityPolicyEnvelope | None:
    """Set the tenant's security policy: `mfa_required` asks every user for a second factor

     Users without a factor still sign in, then reach only /api/v1/me/mfa until they enrol (403
    `mfa_enrollment_required` elsewhere). A role may ask the same of its holders (`mfa_required`).

    Args:
        body (SecurityPolicy):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SecurityPolicyEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SecurityPolicy,
) -> Response[ErrorEnvelope | SecurityPolicyEnvelope]:
    """Set the tenant's security policy: `mfa_required` asks every user for a second factor

     Users without a factor still sign in, then reach only /api/v1/me/mfa until they enrol (403
    `mfa_enrollment_required` elsewhere). A role may ask the same of its holders (`mfa_required`).

    Args:
        body (SecurityPolicy):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SecurityPolicyEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SecurityPolicy,
) -> ErrorEnvelope | SecurityPolicyEnvelope | None:
    """Set the tenant's security policy: `mfa_required` asks every user for a second factor

     Users without a factor still sign in, then reach only /api/v1/me/mfa until they enrol (403
    `mfa_enrollment_required` elsewhere). A role may ask the same of its holders (`mfa_required`).

    Args:
        body (SecurityPolicy):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SecurityPolicyEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
