from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.calendar_import_out_envelope import CalendarImportOutEnvelope
from ...models.create_import_files_body import CreateImportFilesBody
from ...models.create_import_json_calendar_import_in import (
    CreateImportJsonCalendarImportIn,
)
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    resource_id: UUID,
    *,
    body: CreateImportJsonCalendarImportIn
    | File
    | CreateImportFilesBody
    | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/resources/{resource_id}/calendar-imports".format(
            resource_id=quote(str(resource_id), safe=""),
        ),
    }

    if isinstance(body, CreateImportJsonCalendarImportIn):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "text/calendar"
    if isinstance(body, CreateImportFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CalendarImportOutEnvelope | ErrorEnvelope | None:
    if response.status_code == 201:
        response_201 = CalendarImportOutEnvelope.from_dict(response.json())

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
) -> Response[CalendarImportOutEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CreateImportJsonCalendarImportIn
    | File
    | CreateImportFilesBody
    | Unset = UNSET,
) -> Response[CalendarImportOutEnvelope | ErrorEnvelope]:
    """Import busy times as blocks: JSON {url, interval (default PT15M, at least PT5M)} syncs the URL
    periodically (first round at once); a text/calendar body or multipart 'file' imports once.
    Recurrences are expanded over the next 180 days; transparent and cancelled events are skipped.
    Existing bookings are not touched. 422 invalid_calendar for a file that is not iCalendar

    Args:
        resource_id (UUID):
        body (CreateImportJsonCalendarImportIn):
        body (File):
        body (CreateImportFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CalendarImportOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CreateImportJsonCalendarImportIn
    | File
    | CreateImportFilesBody
    | Unset = UNSET,
) -> CalendarImportOutEnvelope | ErrorEnvelope | None:
    """Import busy times as blocks: JSON {url, interval (default PT15M, at least PT5M)} syncs the URL
    periodically (first round at once); a text/calendar body or multipart 'file' imports once.
    Recurrences are expanded over the next 180 days; transparent and cancelled events are skipped.
    Existing bookings are not touched. 422 invalid_calendar for a file that is not iCalendar

    Args:
        resource_id (UUID):
        body (CreateImportJsonCalendarImportIn):
        body (File):
        body (CreateImportFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CalendarImportOutEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        resource_id=resource_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CreateImportJsonCalendarImportIn
    | File
    | CreateImportFilesBody
    | Unset = UNSET,
) -> Response[CalendarImportOutEnvelope | ErrorEnvelope]:
    """Import busy times as blocks: JSON {url, interval (default PT15M, at least PT5M)} syncs the URL
    periodically (first round at once); a text/calendar body or multipart 'file' imports once.
    Recurrences are expanded over the next 180 days; transparent and cancelled events are skipped.
    Existing bookings are not touched. 422 invalid_calendar for a file that is not iCalendar

    Args:
        resource_id (UUID):
        body (CreateImportJsonCalendarImportIn):
        body (File):
        body (CreateImportFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CalendarImportOutEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        resource_id=resource_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    resource_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CreateImportJsonCalendarImportIn
    | File
    | CreateImportFilesBody
    | Unset = UNSET,
) -> CalendarImportOutEnvelope | ErrorEnvelope | None:
    """Import busy times as blocks: JSON {url, interval (default PT15M, at least PT5M)} syncs the URL
    periodically (first round at once); a text/calendar body or multipart 'file' imports once.
    Recurrences are expanded over the next 180 days; transparent and cancelled events are skipped.
    Existing bookings are not touched. 422 invalid_calendar for a file that is not iCalendar

    Args:
        resource_id (UUID):
        body (CreateImportJsonCalendarImportIn):
        body (File):
        body (CreateImportFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CalendarImportOutEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            resource_id=resource_id,
            client=client,
            body=body,
        )
    ).parsed
