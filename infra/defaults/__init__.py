"""Locked-down defaults for the building blocks every stack uses (keys, buckets, log groups).

One function per resource returns it with the platform's controls already applied; callers pass
only what differs, so an encryption or retention setting is decided here once.
"""
