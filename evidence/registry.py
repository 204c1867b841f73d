"""Every rule of this project that the observations apply, from each module of rules.

A new module of rules adds its tuple here; nothing else needs to know it exists.
"""

from __future__ import annotations

from evidence.mechanisms import MECHANISM_RULES
from evidence.rules import RULES as PARAMETER_RULES
from evidence.rules import Rule

RULES: tuple[Rule, ...] = (*PARAMETER_RULES, *MECHANISM_RULES)
