"""ECS Fargate: the cluster, the API, Celery worker and Beat services, scaling and alarms."""
