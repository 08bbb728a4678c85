"""Drop-folder intake: watching folders, deciding when a file is complete, claiming it."""
