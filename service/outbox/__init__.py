"""Transactional outbox: audit and domain events, published to Kafka without loss."""
