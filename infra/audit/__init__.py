"""The account's security services: CloudTrail, GuardDuty, AWS Config and Security Hub."""
