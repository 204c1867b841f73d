"""Keys and secrets: the platform's encryption domains and its generated credentials."""
