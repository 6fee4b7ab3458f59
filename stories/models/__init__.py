from stories.models.author import Author
from stories.models.home import HomePage
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
    "HomePage",
    "PublishedUpdateError",
    "StoryIndexPage",
    "StoryPage",
    "StoryPageAuthor",
    "StoryPageQuerySet",
    "StoryPageTag",
    "Update",
]
