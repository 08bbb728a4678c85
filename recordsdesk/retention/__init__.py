"""Retention (issue 5): the VNG Selectielijst as data, and the dates derived from it.

Core layer: no Qt, no archive, no front ends.
"""
