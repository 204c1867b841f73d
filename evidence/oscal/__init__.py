"""OSCAL documents built with compliance-trestle's models (validated as they are built)."""
