"""PCS Platform infrastructure: an AWS CDK v2 app gated by NIST 800-53 Rev 5 and AWS Solutions."""
