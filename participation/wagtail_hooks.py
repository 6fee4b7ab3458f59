"""Reader participation in the admin; each concern registers its own hooks."""
