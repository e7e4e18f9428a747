SELECT payload FROM cube_store WHERE kind = ? AND fingerprint = ?
