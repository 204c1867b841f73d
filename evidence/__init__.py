"""The assessor's evidence package, generated from the synthesized templates (``make evidence``)."""
