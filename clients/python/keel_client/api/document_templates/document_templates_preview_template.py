from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.document_preview_in import DocumentPreviewIn
from ...models.document_templates_preview_template_format import (
    DocumentTemplatesPreviewTemplateFormat,
)
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    key: str,
    *,
    body: DocumentPreviewIn,
    format_: DocumentTemplatesPreviewTemplateFormat
    | Unset = DocumentTemplatesPreviewTemplateFormat.PDF,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/document-templates/{key}/preview".format(
            key=quote(str(key), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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
) -> Response[ErrorEnvelope | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    body: DocumentPreviewIn,
    format_: DocumentTemplatesPreviewTemplateFormat
    | Unset = DocumentTemplatesPreviewTemplateFormat.PDF,
) -> Response[ErrorEnvelope | File]:
    """Render the template with {data} (its sample data when omitted) as a PDF, or page 1 as a PNG with
    ?format=png; nothing is stored

    Args:
        key (str):
        format_ (DocumentTemplatesPreviewTemplateFormat | Unset):  Default:
            DocumentTemplatesPreviewTemplateFormat.PDF.
        body (DocumentPreviewIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | File]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key: str,
    *,
    client: AuthenticatedClient,
    body: DocumentPreviewIn,
    format_: DocumentTemplatesPreviewTemplateFormat
    | Unset = DocumentTemplatesPreviewTemplateFormat.PDF,
) -> ErrorEnvelope | File | None:
    """Render the template with {data} (its sample data when omitted) as a PDF, or page 1 as a PNG with
    ?format=png; nothing is stored

    Args:
        key (str):
        format_ (DocumentTemplatesPreviewTemplateFormat | Unset):  Default:
            DocumentTemplatesPreviewTemplateFormat.PDF.
        body (DocumentPreviewIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | File
    """

    return sync_detailed(
        key=key,
        client=client,
        body=body,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    body: DocumentPreviewIn,
    format_: DocumentTemplatesPreviewTemplateFormat
    | Unset = DocumentTemplatesPreviewTemplateFormat.PDF,
) -> Response[ErrorEnvelope | File]:
    """Render the template with {data} (its sample data when omitted) as a PDF, or page 1 as a PNG with
    ?format=png; nothing is stored

    Args:
        key (str):
        format_ (DocumentTemplatesPreviewTemplateFormat | Unset):  Default:
            DocumentTemplatesPreviewTemplateFormat.PDF.
        body (DocumentPreviewIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | File]
    """

    kwargs = _get_kwargs(
        key=key,
        body=body,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key: str,
    *,
    client: AuthenticatedClient,
    body: DocumentPreviewIn,
    format_: DocumentTemplatesPreviewTemplateFormat
    | Unset = DocumentTemplatesPreviewTemplateFormat.PDF,
) -> ErrorEnvelope | File | None:
    """Render the template with {data} (its sample data when omitted) as a PDF, or page 1 as a PNG with
    ?format=png; nothing is stored

    Args:
        key (str):
        format_ (DocumentTemplatesPreviewTemplateFormat | Unset):  Default:
            DocumentTemplatesPreviewTemplateFormat.PDF.
        body (DocumentPreviewIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | File
    """

    return (
        await asyncio_detailed(
            key=key,
            client=client,
            body=body,
            format_=format_,
        )
    ).parsed
