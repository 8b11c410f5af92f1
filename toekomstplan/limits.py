"""What a plan may hold: one exception for every "this list is full"."""


class LimitReached(Exception):
    """A plan (or goal) holds as many items of this sort as it may."""
