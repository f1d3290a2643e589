"""Keys, signed bundles between offices, their verification and merge, the directory."""
