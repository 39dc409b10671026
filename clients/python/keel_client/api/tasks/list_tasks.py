from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.list_tasks_status_type_0 import ListTasksStatusType0
from ...models.task_out_page import TaskOutPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    process_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    wait: float | Unset = 0.0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListTasksStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_assignee: None | str | Unset
    if isinstance(assignee, Unset):
        json_assignee = UNSET
    else:
        json_assignee = assignee
    params["assignee"] = json_assignee

    json_process_id: None | str | Unset
    if isinstance(process_id, Unset):
        json_process_id = UNSET
    elif isinstance(process_id, UUID):
        json_process_id = str(process_id)
    else:
        json_process_id = process_id
    params["process_id"] = json_process_id

    json_limit: int | None | Unset
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tasks",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TaskOutPage | None:
    if response.status_code == 200:
        response_200 = TaskOutPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

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
) -> Response[ErrorEnvelope | TaskOutPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    process_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    wait: float | Unset = 0.0,
) -> Response[ErrorEnvelope | TaskOutPage]:
    """Tasks; assignee=me gives those assigned to you or one of your roles

    Args:
        status (ListTasksStatusType0 | None | Unset):
        assignee (None | str | Unset): me, user:<email> or role:<name>
        process_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page
        wait (float | Unset): Seconds to wait for a matching task when there is none yet (a long
            poll: the answer comes as soon as one is written, instead of the client polling); absent
            or 0 answers at once. Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TaskOutPage]
    """

    kwargs = _get_kwargs(
        status=status,
        assignee=assignee,
        process_id=process_id,
        limit=limit,
        cursor=cursor,
        wait=wait,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    process_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    wait: float | Unset = 0.0,
) -> ErrorEnvelope | TaskOutPage | None:
    """Tasks; assignee=me gives those assigned to you or one of your roles

    Args:
        status (ListTasksStatusType0 | None | Unset):
        assignee (None | str | Unset): me, user:<email> or role:<name>
        process_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page
        wait (float | Unset): Seconds to wait for a matching task when there is none yet (a long
            poll: the answer comes as soon as one is written, instead of the client polling); absent
            or 0 answers at once. Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TaskOutPage
    """

    return sync_detailed(
        client=client,
        status=status,
        assignee=assignee,
        process_id=process_id,
        limit=limit,
        cursor=cursor,
        wait=wait,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    process_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    wait: float | Unset = 0.0,
) -> Response[ErrorEnvelope | TaskOutPage]:
    """Tasks; assignee=me gives those assigned to you or one of your roles

    Args:
        status (ListTasksStatusType0 | None | Unset):
        assignee (None | str | Unset): me, user:<email> or role:<name>
        process_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page
        wait (float | Unset): Seconds to wait for a matching task when there is none yet (a long
            poll: the answer comes as soon as one is written, instead of the client polling); absent
            or 0 answers at once. Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TaskOutPage]
    """

    kwargs = _get_kwargs(
        status=status,
        assignee=assignee,
        process_id=process_id,
        limit=limit,
        cursor=cursor,
        wait=wait,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    process_id: None | Unset | UUID = UNSET,
    limit: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    wait: float | Unset = 0.0,
) -> ErrorEnvelope | TaskOutPage | None:
    """Tasks; assignee=me gives those assigned to you or one of your roles

    Args:
        status (ListTasksStatusType0 | None | Unset):
        assignee (None | str | Unset): me, user:<email> or role:<name>
        process_id (None | Unset | UUID):
        limit (int | None | Unset): page size, default 50, at most 200
        cursor (None | str | Unset): meta.next_cursor of the previous page
        wait (float | Unset): Seconds to wait for a matching task when there is none yet (a long
            poll: the answer comes as soon as one is written, instead of the client polling); absent
            or 0 answers at once. Default: 0.0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TaskOutPage
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            assignee=assignee,
            process_id=process_id,
            limit=limit,
            cursor=cursor,
            wait=wait,
        )
    ).parsed
