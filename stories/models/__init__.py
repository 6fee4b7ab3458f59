from stories.models.author import Author
from stories.models.story import (
    StoryIndexPage,
    StoryPage,
    StoryPageAuthor,
    StoryPageQuerySet,
    StoryPageTag,
)
from stories.models.update import PublishedUpdateError, Update

__all__ = [
    "Author",
    "PublishedUpdateError",
    "StoryIndexPage",
    "StoryPage",
    "StoryPageAuthor",
    "StoryPageQuerySet",
    "StoryPageTag",
    "Update",
]
