"""Every alarm of the DR region pages on the DR region's own alert topic (issue 20).

An alarm in us-west-2 whose actions are empty, or name the primary's topic in us-east-1, says
nothing while us-east-1 is down: the one place on-call hears the DR region is its own
``pcs-<env>-alerts`` topic there (infra/region.py, "How a DR alarm pages").
"""

from __future__ import annotations

from tests.infra.conftest import resources

DR_REGION = "us-west-2"
ALARM_TYPES = ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm")


def _dr_stacks(prod) -> list[str]:
    return [name for name, stack in prod.stacks.items() if stack.region == DR_REGION]


def _dr_topic(prod) -> tuple[str, str]:
    """(stack, logical id) of the DR region's alert topic."""
    (found,) = [
        (name, logical_id)
        for name in _dr_stacks(prod)
        for logical_id, topic in prod.stacks[name].template["Resources"].items()
        if topic["Type"] == "AWS::SNS::Topic"
        and topic["Properties"].get("TopicName") == "pcs-prod-alerts"
    ]
    return found


def _names_the_topic(prod, stack: str, action, topic: tuple[str, str]) -> bool:
    topic_stack, topic_id = topic
    if action == {"Ref": topic_id}:
        return stack == topic_stack
    if isinstance(action, dict) and "Fn::ImportValue" in action:
        outputs = prod.stacks[topic_stack].template.get("Outputs", {})
        return any(
            output.get("Export", {}).get("Name") == action["Fn::ImportValue"]
            and output["Value"] == {"Ref": topic_id}
            for output in outputs.values()
        )
    return False


def _dr_alarms(prod) -> dict[tuple[str, str], dict]:
    return {
        (stack, alarm["Properties"]["AlarmName"]): alarm["Properties"]
        for stack in _dr_stacks(prod)
        for alarm_type in ALARM_TYPES
        for alarm in resources(prod, stack.removeprefix("pcs-prod-"), alarm_type).values()
    }


def test_every_dr_alarm_pages_and_clears_on_the_dr_topic(prod):
    topic = _dr_topic(prod)
    silent = sorted(
        f"{stack}/{name}"
        for (stack, name), alarm in _dr_alarms(prod).items()
        for actions in (alarm.get("AlarmActions", []), alarm.get("OKActions", []))
        if not any(_names_the_topic(prod, stack, action, topic) for action in actions)
    )
    assert silent == []


def test_the_dr_alarms_that_page_today(prod):
    """The DR alarms by name: a new one must be added here and page like these."""
    assert sorted(name for _stack, name in _dr_alarms(prod)) == [
        "pcs-prod-api-5xx",
        "pcs-prod-api-green-errors",
        "pcs-prod-beat-tasks-below-desired",
        "pcs-prod-canary-documents-failed",  # issue 25's DR canary
        "pcs-prod-dr-readiness-drift",
        "pcs-prod-global-db-rpo-lag",
        "pcs-prod-primary-serves",  # the traffic switch: traffic moved, either way
        "pcs-prod-web-5xx",
        "pcs-prod-web-green-errors",  # the DR portal's release (issue 25)
        "pcs-prod-worker-tasks-below-desired",
    ]
