"""PDF documents shared by the PDF operation tests, built once per module."""

from __future__ import annotations

import pytest

from tests.domain.pdf_helpers import FORM_HTML, html_pdf, pages_pdf


@pytest.fixture(scope="session")
def form_pdf() -> bytes:
    return html_pdf(FORM_HTML, forms=True)


@pytest.fixture(scope="session")
def three_pages() -> bytes:
    return pages_pdf("Alpha page", "Bravo page", "Charlie page")
