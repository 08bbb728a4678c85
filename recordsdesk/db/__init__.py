"""Database: every table (one metadata for migrations), engines, migrations."""
