"""The compliance gate: cdk-nag packs on every synth; cfn-lint and checkov on every template."""
