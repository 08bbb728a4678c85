"""Archival domain (MDTO, retention, destruction, transfer, Woo, central sync). Qt-free."""
