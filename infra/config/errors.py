"""The error every configuration check raises, and the spec's floors several sections share."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration value outside what is allowed; ``str()`` is a one-line message."""

    def __init__(self, field_name: str, value: object, allowed: str) -> None:
        super().__init__(f"config error: {field_name}={value!r} is not allowed; allowed: {allowed}")
        self.field_name = field_name
        self.value = value
        self.allowed = allowed

    def within(self, source: str) -> ConfigError:
        """The same error with ``source`` (the file the value came from) before the field name."""
        return ConfigError(f"{source}: {self.field_name}", self.value, self.allowed)


# Minimums the spec sets for a FedRAMP Moderate boundary; configs may be stricter, never looser.
SPEC_MIN_DB_BACKUP_RETENTION_DAYS = 35
SPEC_MIN_ARCHIVE_RETENTION_DAYS = 2555  # 7 years
SPEC_MIN_LOG_RETENTION_DAYS = 365  # AU-11: one year online for audit records


def check_log_retention(field_name: str, days: int) -> None:
    """Refuse a log retention shorter than AU-11's year."""
    if days < SPEC_MIN_LOG_RETENTION_DAYS:
        raise ConfigError(field_name, days, f">= {SPEC_MIN_LOG_RETENTION_DAYS} days (AU-11)")
