"""The compliance gate: cdk-nag packs on every synth, cfn-lint on every template, one report."""
