"""ECS Fargate: the cluster, the API, Celery worker and Beat services, the migration task,
scaling and the rollback alarm."""
