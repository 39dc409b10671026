from enum import StrEnum


class SignerInAuth(StrEnum):
    EMAIL = "email"
    SMS_OTP = "sms_otp"

    def __str__(self) -> str:
        return str(self.value)
