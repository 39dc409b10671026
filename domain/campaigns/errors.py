"""Campaign errors are the common ones (ValidationFailed, NotFound, Conflict); nothing specific yet."""
