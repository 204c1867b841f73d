"""Tests of the container services."""
