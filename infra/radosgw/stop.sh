#!/usr/bin/env bash
# Stops the cluster started by start.sh (by pid files). Safe to run when nothing is running.
set -euo pipefail
DIR="${FLOE_RADOSGW_DIR:-/tmp/floe-radosgw}"
shopt -s nullglob
pids=()
for f in "$DIR"/run/*.pid; do
  pid=$(cat "$f" 2>/dev/null || true)
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    pids+=("$pid")
  fi
  rm -f "$f"
done
for pid in "${pids[@]}"; do
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
done
echo "radosgw: stopped ${#pids[@]} process(es)"
