"""Settings modules: base (shared), local (developer), test (pytest), production (ECS)."""
