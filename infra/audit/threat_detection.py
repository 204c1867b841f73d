"""GuardDuty: threat detection over the account's API calls, S3 data events and ECS tasks."""

from __future__ import annotations

from aws_cdk import aws_guardduty as guardduty
from constructs import Construct

_ENABLED = "ENABLED"


class ThreatDetection(Construct):
    """A GuardDuty detector with S3 protection and ECS Fargate runtime monitoring (SI-4, RA-5).

    Runtime monitoring lets GuardDuty manage its agent as a sidecar of every Fargate task, so the
    API, worker and beat containers are covered without a change to their task definitions.
    """

    def __init__(self, scope: Construct, construct_id: str, *, finding_frequency: str) -> None:
        super().__init__(scope, construct_id)
        self.detector = guardduty.CfnDetector(
            self,
            "Detector",
            enable=True,
            finding_publishing_frequency=finding_frequency,
            features=[
                guardduty.CfnDetector.CFNFeatureConfigurationProperty(
                    name="S3_DATA_EVENTS", status=_ENABLED
                ),
                guardduty.CfnDetector.CFNFeatureConfigurationProperty(
                    name="RUNTIME_MONITORING",
                    status=_ENABLED,
                    additional_configuration=[
                        guardduty.CfnDetector.CFNFeatureAdditionalConfigurationProperty(
                            name="ECS_FARGATE_AGENT_MANAGEMENT", status=_ENABLED
                        )
                    ],
                ),
            ],
        )
