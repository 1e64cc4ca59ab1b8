"""Background work, one way for every module: django-tasks.

On the embedded default the ImmediateBackend runs a task inline when it is
enqueued; in production the database backend queues it for `cleanasia
db_worker`. Modules define tasks with `@task()` and call `.enqueue(...)`;
arguments must be JSON-serialisable (ids, not model instances).
"""

from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str], reply_to: list[str] | None = None) -> int:
    """Send one e-mail; returns the number sent. Enqueue it rather than sending inside a request."""
    return EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or []).send()
