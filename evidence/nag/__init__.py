"""cdk-nag's rules evaluated on every resource of the synthesized templates, passes included."""
