"""Tenancy: organizations, their members and API tokens, and the row-level-security context."""
