"""parliament over IAM policies: ``[{"name", "document"}]`` as JSON on stdin, findings on stdout.

Run with the scanners' Python by infra/gate/iam_policies.py. It calls parliament's library
function, not its command line, which appends every policy it reads to /tmp/parliament.log.
"""

from __future__ import annotations

import json
import sys

from parliament import analyze_policy_string, enhance_finding


def main() -> None:
    findings = []
    for policy in json.load(sys.stdin):
        analysed = analyze_policy_string(json.dumps(policy["document"]))
        for finding in map(enhance_finding, analysed.findings):
            findings.append(
                {
                    "policy": policy["name"],
                    "issue": finding.issue,
                    "severity": finding.severity,
                    "detail": str(finding.detail),
                }
            )
    json.dump(findings, sys.stdout)


if __name__ == "__main__":
    main()
