"""Keys, signed bundles, verification and merge between offices (to come)."""
