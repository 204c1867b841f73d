"""Compliance documents: the reference workload that exercises every part of the platform."""
