from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.calendar_import_out_envelope import CalendarImportOutEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...models.replace_import_files_body import ReplaceImportFilesBody
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    resource_id: UUID,
    import_id: UUID,
    *,
    body: File | ReplaceImportFilesBody | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/resources/{resource_id}/calendar-imports/{import_id}".format(
            resource_id=quote(str(resource_id), safe=""),
            import_id=quote(str(import_id), safe=""),
        ),
    }

    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "text/calendar"
    if isinstance(body, ReplaceImportFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CalendarImportOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = CalendarImportOutEnvelope.from_dict(response.json())

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
) -> Response[CalendarImportOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    resource_id: UUID,
    import_id: UUID,
    *,
    client: AuthenticatedClient,
    body: File | ReplaceImportFilesBody | Unset = UNSET,
) -> Response[CalendarImportOutEnvelope | ErrorEnvelope]:
    """Upload a new version of a file import: its blocks are replaced by the new file's (409 for a URL
    import, which syncs by itself)

    Args:
        resource_id (UUID):
        import_id (UUID):
        body (File):
        body (ReplaceImportFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CalendarImportOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        import_id=import_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    resource_id: UUID,
    import_id: UUID,
    *,
    client: AuthenticatedClient,
    body: File | ReplaceImportFilesBody | Unset = UNSET,
) -> CalendarImportOutEnvelope | ErrorEnvelope | None:
    """Upload a new version of a file import: its blocks are replaced by the new file's (409 for a URL
    import, which syncs by itself)

    Args:
        resource_id (UUID):
        import_id (UUID):
        body (File):
        body (ReplaceImportFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CalendarImportOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        resource_id=resource_id,
        import_id=import_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    resource_id: UUID,
    import_id: UUID,
    *,
    client: AuthenticatedClient,
    body: File | ReplaceImportFilesBody | Unset = UNSET,
) -> Response[CalendarImportOutEnvelope | ErrorEnvelope]:
    """Upload a new version of a file import: its blocks are replaced by the new file's (409 for a URL
    import, which syncs by itself)

    Args:
        resource_id (UUID):
        import_id (UUID):
        body (File):
        body (ReplaceImportFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CalendarImportOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        import_id=import_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    resource_id: UUID,
    import_id: UUID,
    *,
    client: AuthenticatedClient,
    body: File | ReplaceImportFilesBody | Unset = UNSET,
) -> CalendarImportOutEnvelope | ErrorEnvelope | None:
    """Upload a new version of a file import: its blocks are replaced by the new file's (409 for a URL
    import, which syncs by itself)

    Args:
        resource_id (UUID):
        import_id (UUID):
        body (File):
        body (ReplaceImportFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CalendarImportOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            resource_id=resource_id,
            import_id=import_id,
            client=client,
            body=body,
        )
    ).parsed
