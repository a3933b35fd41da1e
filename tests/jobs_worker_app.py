"""The app as `flask --app tests.jobs_worker_app worker` sees it, for the Redis worker test."""

from hub import create_app

app = create_app()
