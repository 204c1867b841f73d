"""DR runbook commands (spec §6.2): ``python -m ops.dr <command>``; see docs/runbook.md.

Exit codes of every command: 0 done (or dry run shown); 1 AWS refused a change, the operator
declined, or ``verify`` found a mismatch; 2 bad input (one line naming the field, the value and
what is allowed), in which case nothing was changed.
"""
