"""The central archive: where it is, how a workstation connects, and how it is set up."""
