"""Builds the validated :class:`PlatformConfig` of one deployment file, from the values files.

Layers, each laid over the one before: the schema's defaults, the tier's values
(``tiers.toml``), the environment's (``environments.toml``), then what the deployment file says
(AZs, domain, zone, alert addresses, repository). Tests and the cost model's levers replace whole
sections with keyword overrides, validated like the rest.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from infra.config.convert import build
from infra.config.deployment import Deployment, Environment, Tier
from infra.config.errors import ConfigError
from infra.config.network import (
    CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS,
    S3_GATEWAY_PREFIX_LISTS,
    region_prefix_list,
)
from infra.config.platform import SECTIONS, PlatformConfig

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
DEPLOYMENTS_DIR = REPOSITORY_ROOT / "deployments"
_VALUES_DIR = Path(__file__).resolve().parent


def _display(path: Path) -> str:
    resolved = path.resolve()
    return (
        str(resolved.relative_to(REPOSITORY_ROOT))
        if resolved.is_relative_to(REPOSITORY_ROOT)
        else str(path)
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_display(path), str(error), "valid TOML") from None


def _split(table: dict[str, Any], own: type, path: str) -> tuple[dict, dict]:
    """``table``'s own fields (of the dataclass ``own``) apart from its section tables."""
    own_fields = {f.name for f in fields(own)}
    for key, value in table.items():
        if key not in own_fields and key not in SECTIONS:
            allowed = ", ".join([*sorted(own_fields - {"name"}), *SECTIONS])
            raise ConfigError(f"{path}.{key}", value, allowed)
    sections = {k: v for k, v in table.items() if k in SECTIONS}
    return {k: v for k, v in table.items() if k not in SECTIONS}, sections


def _read_values(kind: type, file_name: str) -> tuple[dict[str, Any], dict[str, dict]]:
    """Every entry of a values file: ``{name: object}`` and ``{name: its section tables}``."""
    path = _VALUES_DIR / file_name
    objects, sections = {}, {}
    try:
        for name, table in _read_toml(path).items():
            own, sections[name] = _split(table, kind, name)
            objects[name] = build(kind, {"name": name, **own}, name)
    except ConfigError as error:
        raise error.within(_display(path)) from None
    return objects, sections


ENVIRONMENTS, _ENVIRONMENT_SECTIONS = _read_values(Environment, "environments.toml")
TIERS, _TIER_SECTIONS = _read_values(Tier, "tiers.toml")


def _choose(kind: str, name: str, options: dict[str, Any]) -> Any:
    try:
        return options[name]
    except KeyError:
        raise ConfigError(kind, name, ", ".join(options)) from None


def deployment_names() -> list[str]:
    """The deployments the repository holds (``deployments/<name>.toml``)."""
    return sorted(path.stem for path in DEPLOYMENTS_DIR.glob("*.toml"))


def _deployment_path(source: str | Path) -> Path:
    path = Path(source)
    if path.suffix == ".toml":
        if not path.is_file():
            raise ConfigError("deployment", str(source), "an existing .toml file")
        return path
    if str(source) not in deployment_names():
        raise ConfigError("deployment", str(source), ", ".join(deployment_names()))
    return DEPLOYMENTS_DIR / f"{source}.toml"


def read_deployment(source: str | Path) -> Deployment:
    """The deployment named ``source`` (``deployments/<source>.toml``) or in the file ``source``.

    Errors name the file and the field: ``config error: deployments/x.toml: account=...``.
    """
    path = _deployment_path(source)
    try:
        table = _read_toml(path)
        if "name" in table:
            raise ConfigError("name", table["name"], "none: the file's name names the deployment")
        deployment = build(Deployment, {"name": path.stem, **table}, "")
        _choose("environment", deployment.environment, ENVIRONMENTS)
        if deployment.tier is not None:
            _choose("tier", deployment.tier, TIERS)
    except ConfigError as error:
        raise error.within(_display(path)) from None
    return deployment


def _merge(base: dict[str, Any], layer: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in layer.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _deployment_sections(deployment: Deployment, environment: Environment) -> dict[str, dict]:
    """The section values a deployment file decides."""
    return {
        "network": {
            "availability_zones": list(deployment.availability_zones),
            "cloudfront_prefix_list_id": region_prefix_list(
                "region", deployment.region, CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS
            ),
            "s3_prefix_list_id": region_prefix_list(
                "region", deployment.region, S3_GATEWAY_PREFIX_LISTS
            ),
        },
        "database": {"deletion_protection": environment.deletion_protection},
        "identity": {"deletion_protection": environment.deletion_protection},
        "edge": {
            "domain_name": deployment.domain_name,
            "hosted_zone_name": deployment.hosted_zone_name,
            "hosted_zone_id": deployment.hosted_zone_id,
        },
        "monitoring": {
            "alert_emails": list(deployment.alert_emails),
            "alert_https_endpoints": list(deployment.alert_https_endpoints),
        },
        "delivery": {"github_repository": deployment.github_repository},
    }


def load_config(
    deployment: str | Path | Deployment = "prod", tier: str | None = None, **overrides: Any
) -> PlatformConfig:
    """The validated configuration of ``deployment`` at ``tier`` (default: the file's tier,
    else its environment's default).

    ``deployment`` is a name in ``deployments/``, a path to a ``.toml`` file or a
    :class:`Deployment`. ``overrides`` replace whole sections (``network=NetworkConfig(...)``);
    they are how tests and the cost levers try another value, validated like the defaults.
    """
    if not isinstance(deployment, Deployment):
        deployment = read_deployment(deployment)
    unknown = set(overrides) - set(SECTIONS)
    if unknown:
        raise ConfigError("overrides", sorted(unknown), ", ".join(SECTIONS))
    environment = _choose("environment", deployment.environment, ENVIRONMENTS)
    tier_name = tier or deployment.tier or environment.default_tier
    chosen_tier = _choose("tier", tier_name, TIERS)
    layers = (
        _TIER_SECTIONS[tier_name],
        _ENVIRONMENT_SECTIONS[environment.name],
        _deployment_sections(deployment, environment),
    )
    data: dict[str, Any] = {}
    for layer in layers:
        data = _merge(data, layer)
    try:
        sections = {
            name: overrides[name] if name in overrides else build(cls, data.get(name, {}), name)
            for name, cls in SECTIONS.items()
        }
    except ConfigError as error:
        raise error.within(f"deployment {deployment.name}") from None
    return PlatformConfig(
        deployment=deployment, environment=environment, tier=chosen_tier, **sections
    )
