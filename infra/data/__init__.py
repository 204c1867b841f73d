"""The data tier (spec §3): Aurora PostgreSQL, ElastiCache, MSK and the S3 buckets."""
