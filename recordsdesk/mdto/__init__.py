"""MDTO (Metagegevens voor Duurzaam Toegankelijke Overheidsinformatie), version 1.0.1.

The Nationaal Archief's metadata standard for archival records. The official
XML schema and value lists ship in ``resources/mdto/`` (provenance and licences
in ``resources/mdto/SOURCE.md``); :mod:`recordsdesk.mdto.schema` validates MDTO
XML against that schema without ever trusting the document (no DTDs, no
entities, no network, bounded size).
"""
