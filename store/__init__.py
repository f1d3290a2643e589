"""The local JSON store: TinyDB files per unit with atomic writes, versions, backups, the lock."""
