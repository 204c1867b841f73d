"""AWS Backup: the vaults (primary and DR region), the plan and what it selects (spec §6.1)."""
