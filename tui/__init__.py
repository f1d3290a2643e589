"""The Textual interface and the `nhandao` command line."""
