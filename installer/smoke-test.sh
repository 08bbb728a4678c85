#!/usr/bin/env bash
# Smoke-test a built RecordsDesk bundle: installer/smoke-test.sh dist/RecordsDesk/RecordsDesk
#
# As on a fresh machine: a clean environment (no venv, no PYTHONPATH, no display,
# a throwaway HOME and data folder), started from another directory, Qt offscreen.
# The app opens its main window, creates a dossier, files one generated PDF,
# verifies the store by SHA-256 and exits 0 (recordsdesk/ui/smoke.py).
set -euo pipefail
exe="$(realpath "${1:?usage: $0 PATH-TO-EXECUTABLE}")"
[ -x "$exe" ] || { echo "smoke test: $exe is not an executable" >&2; exit 1; }
scratch="$(mktemp -d "${TMPDIR:-/tmp}/recordsdesk-smoke.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
started=$(date +%s%N)
status=0
env -i PATH=/usr/bin:/bin HOME="$scratch/user" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
  "$exe" --home "$scratch/data" --smoke-test || status=$?
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "smoke test of $exe: exit $status after ${elapsed_ms} ms"
exit "$status"
