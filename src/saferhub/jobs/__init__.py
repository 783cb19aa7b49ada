"""Long work (imports, pack builds, large renders) as jobs on a queue in the database.

The queue is django-tasks (the backport of Django 6's tasks framework) with its ORM backend
(django-tasks-db), run by ``saferhub worker``. A ``Job`` is saferhub's own record beside each
task: what to run (a function decorated with ``long_job``), on what (its subject), how it ended
in words a user can read, and whether the worker stopped under it (interrupted), so that the
page can say so and offer to retry. See docs/jobs.md.
"""
