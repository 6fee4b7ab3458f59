"""Reader participation in the admin; each concern registers its own hooks."""

from participation import inbox  # noqa: F401  (registers the reader-report inbox)
