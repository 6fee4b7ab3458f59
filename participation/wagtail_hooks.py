"""Reader participation in the admin; each concern registers its own hooks."""

from participation import account  # noqa: F401  (the account settings panel)
