#!/usr/bin/env bash
# Health probe of the Floe container, with no curl in the image: bash's /dev/tcp.
#   healthcheck.sh live    -> /q/health/live  (the process answers; restart it if not)
#   healthcheck.sh ready   -> /q/health/ready (the bucket answers; route traffic only if so)
#   healthcheck.sh         -> both (the Dockerfile's HEALTHCHECK: "healthy" = alive and serving)
# Exit 0 when every probe answers HTTP 200. FLOE_HEALTH_PORT overrides the port (default 8080).
set -uo pipefail

port="${FLOE_HEALTH_PORT:-${QUARKUS_HTTP_PORT:-8080}}"

probe() {
  local path="$1" status
  if [[ -n "${FLOE_TLS_CERTIFICATE_FILE:-}" ]]; then
    # REST serves HTTPS only (floe.tls.*): the probe runs on loopback, so the certificate is not checked.
    status=$(curl -ksS -o /dev/null -w 'HTTP/1.1 %{http_code}' --max-time 5 "https://127.0.0.1:$port$path" 2>/dev/null)
    [[ "$status" == "HTTP/1.1 200"* ]] || { echo "$path: ${status:-no answer}" >&2; return 1; }
    return 0
  fi
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
  IFS= read -r -t 5 status <&3 || status=""
  exec 3<&- 3>&-
  [[ "$status" == "HTTP/1.1 200"* ]] || { echo "$path: ${status:-no answer}" >&2; return 1; }
}

case "${1:-all}" in
  live) probe /q/health/live ;;
  ready) probe /q/health/ready ;;
  all) probe /q/health/live && probe /q/health/ready ;;
  *) echo "usage: healthcheck.sh [live|ready]" >&2; exit 2 ;;
esac
