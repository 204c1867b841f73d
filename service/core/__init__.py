"""Platform plumbing shared by the apps: task idempotency."""
