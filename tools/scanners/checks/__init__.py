"""The platform's own checkov checks (checkov loads only directories with this file)."""
