"""FedRAMP's validation of the prod SSP: nothing FATAL, every remaining failure says what a person
must supply, and none of them is a value the templates already fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.fedramp import (
    DISPOSITIONS,
    FATAL,
    SET_PARAMETERS,
    failures,
    gaps_markdown,
    planned_narratives,
    run_validator,
)


@pytest.fixture(scope="module")
def found(package_dir: Path):
    return failures(run_validator(package_dir))


def test_fedramp_validation_has_nothing_fatal_and_names_what_each_failure_needs(found):
    assert found, "the validator ran and reported"
    # The import resolves to the vendored resolved-profile catalog (FedRAMP reads no further
    # after a FATAL failure).
    assert [f.assertion for f in found if f.role == FATAL] == []
    untriaged = sorted({f.assertion for f in found} - set(DISPOSITIONS))
    assert untriaged == []
    # What the templates can say is said: these no longer fail.
    fixed = {
        "has-system-name-short",
        "has-cloud-service-model",
        "has-cloud-deployment-model",
        "has-network-architecture",
        "has-data-flow",
    }
    assert not fixed & {f.assertion for f in found}


def test_no_parameter_left_to_a_person_is_one_the_templates_fix(found):
    unset = {f.control: f.unset for f in found if f.assertion == SET_PARAMETERS}
    assert len(unset) > 100  # the organization's own values: most of the baseline
    # AU-11 retention, AC-12 session end, IA-5 and IA-5(1) authenticators and password rules,
    # AC-7 Cognito's lockout: every parameter set from the templates (or the recorded deviation).
    # SC-28 and CP-9(8) what is encrypted at rest, SC-13 what cryptography is used for.
    for control in ("au-11", "ac-12", "ia-5", "ia-5.1", "ac-7", "sc-28", "sc-13", "cp-9.8"):
        assert control not in unset, (control, unset.get(control))
    # CP-9: components and the two backup frequencies are the backup plan's; backing up the
    # system documentation (git) is not in any template.
    assert unset["cp-9"] == ("cp-09_odp.04",)


def test_the_gaps_file_lists_each_failure_and_each_unset_parameter(package_dir: Path, found):
    text = gaps_markdown(found, planned_narratives(package_dir))
    assert "| set-parameter-elements-match-baseline | error |" in text
    assert "| CP-9 | cp-09_odp.04 | frequency |" in text
    assert "not yet triaged" not in text
    # The narratives a person writes: IR-4 (incident handling) no template carries; AU-9's
    # Object Lock is checked, so it is not listed.
    narratives = text.split("## Control narratives the system owner writes")[1]
    assert "\n| IR-4 | 20" in narratives
    assert "\n| AU-9 |" not in narratives


def test_what_the_records_and_the_code_know_is_not_left_to_a_person(found):
    failing = {f.assertion for f in found}
    # The FIPS 140 certificates (evidence/data/cryptographic-modules.toml), each service's asset
    # type and the system's description are the package's to say.
    assert not {"has-CMVP-validation", "component-has-asset-type", "has-system-description"} & (
        failing
    )
