#!/usr/bin/env bash
# Start RecordsDesk from the project's .venv; all arguments are passed through.
# (Used by `make run`. Without a display the app itself explains how to use xvfb-run.)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=$root/.venv/bin/python
if [[ ! -x $python ]]; then
    echo "run-app.sh: $python not found; run 'make venv' (or 'make run') first" >&2
    exit 1
fi
exec "$python" -m recordsdesk "$@"
