"""ECS blue/green hook at POST_TEST_TRAFFIC_SHIFT: hold the test phase and judge the green tasks.

The new (green) tasks receive test traffic on the ALB's test listener. This hook probes their
readiness endpoint through that listener for the whole test phase and answers ECS:
``SUCCEEDED`` moves production traffic to green, ``FAILED`` rolls the deployment back.
Standard library only, so the asset needs no build step.
"""

from __future__ import annotations

import os
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProbePlan:
    """What to probe, for how long, and how many consecutive failures fail the release."""

    url: str
    duration_seconds: int
    interval_seconds: int
    failure_threshold: int

    @classmethod
    def from_environment(cls) -> ProbePlan:
        """Read the phase from the function's environment (set by the CDK construct)."""
        return cls(
            url=os.environ["TEST_URL"],
            duration_seconds=int(os.environ["TEST_PHASE_SECONDS"]),
            interval_seconds=int(os.environ["PROBE_INTERVAL_SECONDS"]),
            failure_threshold=int(os.environ["PROBE_FAILURE_THRESHOLD"]),
        )


def probe(url: str, *, timeout: float = 5.0) -> bool:
    """True when ``url`` answers 200 over verified TLS within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(
            url, timeout=timeout, context=ssl.create_default_context()
        ) as response:
            return response.status == 200
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return False


def run_test_phase(
    phase: ProbePlan,
    *,
    check: Callable[[str], bool] = probe,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Probe until the phase ends; ``FAILED`` at the threshold of consecutive failures."""
    deadline = clock() + phase.duration_seconds
    consecutive_failures = 0
    while True:
        if check(phase.url):
            consecutive_failures = 0
        else:
            consecutive_failures += 1
            if consecutive_failures >= phase.failure_threshold:
                return "FAILED"
        if clock() >= deadline:
            return "SUCCEEDED"
        sleep(phase.interval_seconds)


def handler(event: dict, context: object) -> dict:
    """Lambda entry point: ECS reads ``hookStatus`` from the response."""
    status = run_test_phase(ProbePlan.from_environment())
    print(f"test phase of {event.get('resourceArn', 'unknown deployment')}: {status}")
    return {"hookStatus": status}
