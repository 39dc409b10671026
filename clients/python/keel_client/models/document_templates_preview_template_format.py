from enum import StrEnum


class DocumentTemplatesPreviewTemplateFormat(StrEnum):
    PDF = "pdf"
    PNG = "png"

    def __str__(self) -> str:
        return str(self.value)
