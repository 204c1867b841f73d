"""`manage.py migrations_compatible --base <git ref>`: CI refuses a migration the running release
cannot survive (core.migration_check), naming each operation and what to do instead."""

from __future__ import annotations

import subprocess
from importlib import import_module
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.migrations.loader import MigrationLoader

from core.migration_check import Node, incompatible_migrations

_GIT_TIMEOUT_SECONDS = 30


def released_migrations(base: str, loader: MigrationLoader) -> set[Node]:
    """The migrations whose files exist at git ``base`` (the released commit), and those of
    installed packages (Django's own: released with the locked version)."""
    try:
        listing = subprocess.run(
            ["git", "ls-tree", "-r", "--name-only", base, "--", "."],
            capture_output=True,
            text=True,
            check=True,
            timeout=_GIT_TIMEOUT_SECONDS,
        ).stdout
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise CommandError(f"--base: git cannot list {base!r}: {error}") from error
    files = {
        (path.parent.parent.name, path.stem)
        for path in map(PurePosixPath, listing.splitlines())
        if path.parent.name == "migrations" and path.suffix == ".py"
    }
    ours = {config.label for config in apps.get_app_configs() if _in_repository(config.path)}
    return {node for node in loader.graph.nodes if node in files or node[0] not in ours}


def _in_repository(path: str) -> bool:
    """True for the service's own apps (beside the ``pcs`` project package)."""
    service = Path(import_module(settings.SETTINGS_MODULE).__file__).resolve().parents[2]
    return Path(path).resolve().is_relative_to(service)


class Command(BaseCommand):
    """Exit 1 listing each refused operation; 0 when every new migration only expands."""

    help = "Refuse migrations that drop, rename or tighten what the released code uses."

    def add_arguments(self, parser: CommandParser) -> None:
        """--base: the released commit (its migrations are the released ones)."""
        parser.add_argument("--base", required=True, help="git ref of the released commit")

    def handle(self, *args: object, base: str, **options: object) -> None:
        """Compare the migrations on disk with those at ``base``."""
        loader = MigrationLoader(None, ignore_no_migrations=True)
        released = released_migrations(base, loader)
        refusals = incompatible_migrations(loader, released)
        for refusal in refusals:
            self.stderr.write(str(refusal))
        if refusals:
            raise CommandError(f"{len(refusals)} backward-incompatible migration operation(s)")
        new = len(loader.graph.nodes) - len(released)
        self.stdout.write(f"{new} new migration(s), all backward compatible with {base}")
