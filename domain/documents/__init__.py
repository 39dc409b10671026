"""Documents: templates rendered to PDF, and operations on PDF files."""
