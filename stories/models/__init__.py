from stories.models.author import Author
from stories.models.home import HomePage
from stories.models.story import (
    StoryIndexPage,
    StoryPage,
    StoryPageAuthor,
    StoryPageQuerySet,
    StoryPageTag,
)
from stories.models.tracker import (
    EventKind,
    Precision,
    TimelineEvent,
    TrackerFigure,
    TrackerIndexPage,
    TrackerPage,
    TrackerStatus,
)
from stories.models.update import PublishedUpdateError, Update

__all__ = [
    "Author",
    "EventKind",
    "HomePage",
    "Precision",
    "PublishedUpdateError",
    "StoryIndexPage",
    "StoryPage",
    "StoryPageAuthor",
    "StoryPageQuerySet",
    "StoryPageTag",
    "TimelineEvent",
    "TrackerFigure",
    "TrackerIndexPage",
    "TrackerPage",
    "TrackerStatus",
    "Update",
]
