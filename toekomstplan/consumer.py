"""Entry point of the job queue's consumer: `huey_consumer toekomstplan.consumer.huey`.

("Worker" in this project is a support worker; the process that runs background jobs is the
consumer.) Importing the task modules here registers every task with the queue.
"""

from .comments import notify  # noqa: F401  (registers the mail tasks)
from .jobs import huey
from .media import tasks  # noqa: F401  (registers the media tasks)
from .sharing import tasks as sharing_tasks  # noqa: F401  (registers the sharing job)

__all__ = ["huey"]
