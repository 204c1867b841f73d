"""The application audit trail: who did what, to which object, from where, with what outcome."""
