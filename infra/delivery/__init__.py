"""Release machinery: the image repository, the GitHub deploy identity, the blue/green hook."""
