"""Which page a reader asks for: popularity ranks drawn from a Zipf law.

A newsroom's analytics show a few stories (the newest, the breaking one) read
far more than the archive, and a long tail read now and then. Rank r (0 the
most read) is drawn with probability proportional to 1 / (r + 1) ** s; s near
1.1 is what web page popularity is usually measured at.
"""

import functools
import itertools
import random

EXPONENT = 1.1


class Zipf:
    """Draws ranks 0 .. n - 1, rank r with weight 1 / (r + 1) ** exponent."""

    def __init__(self, n, exponent=EXPONENT):
        if n < 1:
            raise ValueError("a Zipf law needs at least one rank")
        self.ranks = range(n)
        # Cumulative weights, computed once: each draw is then a bisection.
        self.cumulative = list(
            itertools.accumulate(1 / (r + 1) ** exponent for r in self.ranks)
        )

    def rank(self, rng=random):
        return rng.choices(self.ranks, cum_weights=self.cumulative)[0]

    def share(self, rank):
        """The expected share of draws that are `rank`."""
        previous = self.cumulative[rank - 1] if rank else 0
        return (self.cumulative[rank] - previous) / self.cumulative[-1]


@functools.cache
def zipf(n):
    """One shared law per size: the story list grows by a few during a run."""
    return Zipf(n)


def pick(items, rng=random):
    """An item of `items`, ordered most popular first, by its Zipf rank."""
    return items[zipf(len(items)).rank(rng)]
