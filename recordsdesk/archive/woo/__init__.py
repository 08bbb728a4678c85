"""The Woo (Wet open overheid) side of the archive: requests, their scope under legal
hold, the assessment of each document, the weigeringsgronden and the Woo
information category of records."""
