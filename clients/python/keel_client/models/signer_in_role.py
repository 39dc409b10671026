from enum import StrEnum


class SignerInRole(StrEnum):
    APPROVER = "approver"
    CC = "cc"
    SIGNER = "signer"

    def __str__(self) -> str:
        return str(self.value)
