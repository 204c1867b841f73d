"""The test-phase hook's decision, with a fake clock and probe (no AWS, no network)."""

from __future__ import annotations

from infra.delivery.hooks.test_phase import ProbePlan, run_test_phase

PHASE = ProbePlan(
    url="https://origin.example:8443/health/ready",
    duration_seconds=300,
    interval_seconds=15,
    failure_threshold=3,
)


class FakeClock:
    """Time that advances only when the hook sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _run(answers):
    clock = FakeClock()
    probes = iter(answers)
    calls = []

    def check(url: str) -> bool:
        calls.append(clock.now)
        return next(probes, True)

    status = run_test_phase(PHASE, check=check, clock=clock, sleep=clock.sleep)
    return status, calls


def test_hook_succeeds_when_green_stays_ready_for_the_whole_phase():
    status, calls = _run([])
    assert status == "SUCCEEDED"
    assert calls[-1] >= PHASE.duration_seconds


def test_hook_probes_every_interval():
    _, calls = _run([])
    assert calls[1] - calls[0] == PHASE.interval_seconds


def test_hook_fails_after_three_consecutive_failed_probes():
    status, calls = _run([True, False, False, False])
    assert status == "FAILED"
    assert len(calls) == 4


def test_hook_tolerates_isolated_failures():
    status, _ = _run([False, False, True, False, False, True])
    assert status == "SUCCEEDED"
