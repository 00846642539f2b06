"""The exceptions an addon raises and catches, with Odoo's names. Their message is shown to the user as is."""


class UserError(Exception):
    """Something the user asked cannot be done; the message says why and what to do."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ValidationError(UserError):
    """A value breaks a rule of the model (a required field, a constraint, a selection)."""


class AccessError(UserError):
    """The user may not read or change these records."""


class MissingError(UserError):
    """The records were deleted or never existed."""


class AccessDenied(UserError):
    """Wrong login, password or key; the message never says which."""

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)
