from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.export_entities_format import ExportEntitiesFormat
from ...types import UNSET, Response, Unset


def _get_kwargs(
    type_name: str,
    *,
    format_: ExportEntitiesFormat | Unset = ExportEntitiesFormat.CSV,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/entities/{type_name}/export".format(
            type_name=quote(str(type_name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | str | None:
    if response.status_code == 200:
        response_200 = cast(str, response.content)
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
) -> Response[ErrorEnvelope | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    type_name: str,
    *,
    client: AuthenticatedClient,
    format_: ExportEntitiesFormat | Unset = ExportEntitiesFormat.CSV,
) -> Response[ErrorEnvelope | str]:
    """Stream the records as CSV or JSON Lines with the list's filters (filter[attr][op]=v, status,
    created/updated ranges); CSV columns: id, external_id, status, created_at, updated_at, then the
    schema's properties (objects and arrays as JSON)

    Args:
        type_name (str):
        format_ (ExportEntitiesFormat | Unset):  Default: ExportEntitiesFormat.CSV.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    type_name: str,
    *,
    client: AuthenticatedClient,
    format_: ExportEntitiesFormat | Unset = ExportEntitiesFormat.CSV,
) -> ErrorEnvelope | str | None:
    """Stream the records as CSV or JSON Lines with the list's filters (filter[attr][op]=v, status,
    created/updated ranges); CSV columns: id, external_id, status, created_at, updated_at, then the
    schema's properties (objects and arrays as JSON)

    Args:
        type_name (str):
        format_ (ExportEntitiesFormat | Unset):  Default: ExportEntitiesFormat.CSV.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
    """

    return sync_detailed(
        type_name=type_name,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    type_name: str,
    *,
    client: AuthenticatedClient,
    format_: ExportEntitiesFormat | Unset = ExportEntitiesFormat.CSV,
) -> Response[ErrorEnvelope | str]:
    """Stream the records as CSV or JSON Lines with the list's filters (filter[attr][op]=v, status,
    created/updated ranges); CSV columns: id, external_id, status, created_at, updated_at, then the
    schema's properties (objects and arrays as JSON)

    Args:
        type_name (str):
        format_ (ExportEntitiesFormat | Unset):  Default: ExportEntitiesFormat.CSV.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
    """

    kwargs = _get_kwargs(
        type_name=type_name,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    type_name: str,
    *,
    client: AuthenticatedClient,
    format_: ExportEntitiesFormat | Unset = ExportEntitiesFormat.CSV,
) -> ErrorEnvelope | str | None:
    """Stream the records as CSV or JSON Lines with the list's filters (filter[attr][op]=v, status,
    created/updated ranges); CSV columns: id, external_id, status, created_at, updated_at, then the
    schema's properties (objects and arrays as JSON)

    Args:
        type_name (str):
        format_ (ExportEntitiesFormat | Unset):  Default: ExportEntitiesFormat.CSV.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
    """

    return (
        await asyncio_detailed(
            type_name=type_name,
            client=client,
            format_=format_,
        )
    ).parsed
