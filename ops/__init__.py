"""Operations tooling of the PCS Platform: cost model, DR runbooks."""
