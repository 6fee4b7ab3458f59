from stories.models.author import Author
from stories.models.citation import Citation
from stories.models.record import RecordEntry, Snapshot
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
    "Citation",
    "PublishedUpdateError",
    "RecordEntry",
    "Snapshot",
    "StoryIndexPage",
    "StoryPage",
    "StoryPageAuthor",
    "StoryPageQuerySet",
    "StoryPageTag",
    "Update",
]
