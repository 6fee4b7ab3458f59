"""Sources, statements and requests for comment arrive with the sources issue."""
