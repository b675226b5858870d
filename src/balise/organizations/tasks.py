"""Background work of the organizations app: a list of learners is imported by the task worker
(`make worker`), never inside the request that uploads it."""

from django_tasks import task


@task()
def learner_import_task(import_id: int) -> str:
    from balise.organizations import services  # services queue this task: imported when it runs

    return services.learner_import_run(import_id).status
