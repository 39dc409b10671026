"""The outside world behind small Protocols: email, SMS, push and webhook HTTP."""
