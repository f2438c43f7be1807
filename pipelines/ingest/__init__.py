"""Getting Daily Papers responses from the API onto disk and into the warehouse."""
