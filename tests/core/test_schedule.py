def test_every_periodic_job_names_a_registered_task(settings):
    """A typo in CELERY_BEAT_SCHEDULE would only show up in production, as a job that never runs."""
    from videocall.config.celery import app

    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    unknown = {
        name: entry["task"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] not in app.tasks
    }
    assert unknown == {}
