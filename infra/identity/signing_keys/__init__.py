"""The user pool key-set capture function (:mod:`.capture`), packaged as its own asset."""
