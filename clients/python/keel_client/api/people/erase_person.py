from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.erasure_out_envelope import ErasureOutEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    email: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/people/{email}/erase".format(
            email=quote(str(email), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErasureOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ErasureOutEnvelope.from_dict(response.json())

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
) -> Response[ErasureOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    email: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErasureOutEnvelope | ErrorEnvelope]:
    """Anonymise a person: the address becomes its keyed hash everywhere it is held (audit entries
    included, the chain still verifies), names beside it 'erased'; the user is deactivated and signed
    out

    Args:
        email (str): the person's email address

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErasureOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        email=email,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    email: str,
    *,
    client: AuthenticatedClient,
) -> ErasureOutEnvelope | ErrorEnvelope | None:
    """Anonymise a person: the address becomes its keyed hash everywhere it is held (audit entries
    included, the chain still verifies), names beside it 'erased'; the user is deactivated and signed
    out

    Args:
        email (str): the person's email address

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErasureOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        email=email,
        client=client,
    ).parsed


async def asyncio_detailed(
    email: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErasureOutEnvelope | ErrorEnvelope]:
    """Anonymise a person: the address becomes its keyed hash everywhere it is held (audit entries
    included, the chain still verifies), names beside it 'erased'; the user is deactivated and signed
    out

    Args:
        email (str): the person's email address

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErasureOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        email=email,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    email: str,
    *,
    client: AuthenticatedClient,
) -> ErasureOutEnvelope | ErrorEnvelope | None:
    """Anonymise a person: the address becomes its keyed hash everywhere it is held (audit entries
    included, the chain still verifies), names beside it 'erased'; the user is deactivated and signed
    out

    Args:
        email (str): the person's email address

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErasureOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            email=email,
            client=client,
        )
    ).parsed
