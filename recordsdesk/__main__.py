"""``python -m recordsdesk`` starts the desktop application."""

from recordsdesk.ui.app import main

raise SystemExit(main())
