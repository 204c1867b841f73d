"""Lambda handlers of ECS deployment lifecycle hooks (packaged as a code asset)."""
