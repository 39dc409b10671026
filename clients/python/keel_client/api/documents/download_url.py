from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.download_url_out_envelope import DownloadUrlOutEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    document_id: UUID,
    *,
    version: int | None | Unset = UNSET,
    expires_in: int | Unset = 900,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_version: int | None | Unset
    if isinstance(version, Unset):
        json_version = UNSET
    else:
        json_version = version
    params["version"] = json_version

    params["expires_in"] = expires_in

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/documents/{document_id}/download-url".format(
            document_id=quote(str(document_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DownloadUrlOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = DownloadUrlOutEnvelope.from_dict(response.json())

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
) -> Response[DownloadUrlOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    document_id: UUID,
    *,
    client: AuthenticatedClient,
    version: int | None | Unset = UNSET,
    expires_in: int | Unset = 900,
) -> Response[DownloadUrlOutEnvelope | ErrorEnvelope]:
    """A time-limited URL that downloads the current version (or ?version=N) without a bearer

    Args:
        document_id (UUID):
        version (int | None | Unset): a version's number; the current one by default
        expires_in (int | Unset): seconds Default: 900.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DownloadUrlOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        document_id=document_id,
        version=version,
        expires_in=expires_in,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    document_id: UUID,
    *,
    client: AuthenticatedClient,
    version: int | None | Unset = UNSET,
    expires_in: int | Unset = 900,
) -> DownloadUrlOutEnvelope | ErrorEnvelope | None:
    """A time-limited URL that downloads the current version (or ?version=N) without a bearer

    Args:
        document_id (UUID):
        version (int | None | Unset): a version's number; the current one by default
        expires_in (int | Unset): seconds Default: 900.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DownloadUrlOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        document_id=document_id,
        client=client,
        version=version,
        expires_in=expires_in,
    ).parsed


async def asyncio_detailed(
    document_id: UUID,
    *,
    client: AuthenticatedClient,
    version: int | None | Unset = UNSET,
    expires_in: int | Unset = 900,
) -> Response[DownloadUrlOutEnvelope | ErrorEnvelope]:
    """A time-limited URL that downloads the current version (or ?version=N) without a bearer

    Args:
        document_id (UUID):
        version (int | None | Unset): a version's number; the current one by default
        expires_in (int | Unset): seconds Default: 900.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DownloadUrlOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        document_id=document_id,
        version=version,
        expires_in=expires_in,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    document_id: UUID,
    *,
    client: AuthenticatedClient,
    version: int | None | Unset = UNSET,
    expires_in: int | Unset = 900,
) -> DownloadUrlOutEnvelope | ErrorEnvelope | None:
    """A time-limited URL that downloads the current version (or ?version=N) without a bearer

    Args:
        document_id (UUID):
        version (int | None | Unset): a version's number; the current one by default
        expires_in (int | Unset): seconds Default: 900.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DownloadUrlOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            document_id=document_id,
            client=client,
            version=version,
            expires_in=expires_in,
        )
    ).parsed
