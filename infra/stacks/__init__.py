"""Thin stacks that compose the platform's constructs; stateful tiers sit in stacks of their own."""
