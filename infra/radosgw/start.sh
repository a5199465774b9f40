#!/usr/bin/env bash
# Starts a single-node, in-memory Ceph cluster with radosgw: a real S3 server for tests and CI,
# without Docker. Idempotent: if something already answers on the endpoint, it does nothing.
#
#   infra/radosgw/start.sh        # ~12 s; then S3 at http://127.0.0.1:7480
#   infra/radosgw/stop.sh
#
# Credentials (kept in sync with src/test/java/io/floe/testkit/RadosGw.java):
#   access key "floe", secret key "floe-secret", any region (e.g. us-east-1), path-style.
#
# Needs the Debian packages: radosgw ceph-mon ceph-osd ceph-base
#   apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-base
#
# Environment:
#   FLOE_RADOSGW_DIR           working directory (default /tmp/floe-radosgw)
#   FLOE_RADOSGW_PORT          HTTP port (default 7480)
#   FLOE_RADOSGW_MEMSTORE_BYTES in-memory OSD budget (default 4 GiB)
#   FLOE_RADOSGW_ACCESS_KEY / FLOE_RADOSGW_SECRET_KEY  (default floe / floe-secret)
set -euo pipefail

DIR="${FLOE_RADOSGW_DIR:-/tmp/floe-radosgw}"
PORT="${FLOE_RADOSGW_PORT:-7480}"
MEMSTORE_BYTES="${FLOE_RADOSGW_MEMSTORE_BYTES:-4294967296}"
ACCESS_KEY="${FLOE_RADOSGW_ACCESS_KEY:-floe}"
SECRET_KEY="${FLOE_RADOSGW_SECRET_KEY:-floe-secret}"
MON_PORT="${FLOE_RADOSGW_MON_PORT:-6789}"
URL="http://127.0.0.1:${PORT}"
START_MS=$(( $(date +%s%N) / 1000000 ))

answering() { curl -s -o /dev/null -m 2 "$URL"; }

if answering; then
  echo "radosgw: already answering at $URL"
  exit 0
fi

for tool in ceph-mon ceph-osd radosgw ceph-authtool monmaptool ceph radosgw-admin curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "radosgw: '$tool' not found. Install with:" >&2
    echo "  apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-base curl" >&2
    exit 1
  fi
done

# Every step names itself, so that a failure says which step failed, with what status, and shows
# the tails of the cluster's logs (CI shows only this script's output).
step() {
  local name=$1
  shift
  local status=0
  "$@" || status=$?
  if ((status != 0)); then
    echo "radosgw: step '$name' failed with status $status" >&2
    return "$status"
  fi
}

show_logs() {
  local f
  for f in "$DIR"/log/*; do
    [[ -s $f ]] || continue
    echo "radosgw: --- last lines of $f" >&2
    tail -n 15 "$f" >&2
  done
}

# The monitor answers commands (the OSD is created through it); it may take a moment after it
# daemonizes.
mon_ready() {
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    if ceph -c "$CONF" --connect-timeout 5 mon stat >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# Creates the OSD's entry in the monitor: `ceph osd new` with one uuid always answers the same id, so a
# refusal while the new monitor settles is tried again (a CI start once failed a few seconds in with
# status 250, which is how the ceph CLI exits on -ENXIO).
osd_new() {
  local uuid=$1 try
  for try in 1 2 3 4 5; do
    if ceph -c "$CONF" --connect-timeout 20 osd new "$uuid"; then
      return 0
    fi
    sleep "$try"
  done
  return 1
}

attempt() {
  # A previous cluster whose processes are gone: stop leftovers and start from scratch (memstore
  # keeps nothing worth keeping).
  if [[ -d "$DIR" ]]; then
    "$(dirname "$0")/stop.sh" >/dev/null 2>&1 || true
    rm -rf "$DIR"
  fi
  mkdir -p "$DIR"/{mon,osd,run,log,rgw}

  FSID=$(cat /proc/sys/kernel/random/uuid)
  CONF="$DIR/ceph.conf"
  cat >"$CONF" <<CONF
[global]
fsid = $FSID
mon host = v1:127.0.0.1:$MON_PORT
mon initial members = a
public network = 127.0.0.0/8
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
keyring = $DIR/keyring
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log
mon data = $DIR/mon/\$name
osd data = $DIR/osd/\$name
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon allow pool delete = true
osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES
osd max object name len = 460
osd max object namespace len = 64

[client.rgw.floe]
rgw frontends = beast endpoint=127.0.0.1:$PORT tcp_nodelay=1
rgw data = $DIR/rgw
rgw dns name = 127.0.0.1
# Reclaim deleted objects' space within seconds, not after the default two hours: the memstore is
# RAM, and benchmarks that write and empty buckets would otherwise fill it (OSD_FULL hangs writes).
rgw gc obj min wait = 5
rgw gc processor period = 10
rgw gc processor max time = 10
CONF

  export CEPH_CONF="$CONF"

  step keyring ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  step keyring ceph-authtool "$DIR/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
    --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  step monmap monmaptool --create --clobber --fsid "$FSID" --addv a "[v1:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null

  mkdir -p "$DIR/mon/mon.a"
  step mon-mkfs ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring"
  step mon-start ceph-mon -c "$CONF" -i a # daemonizes; pid file in $DIR/run
  step mon-ready mon_ready

  OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
  OSD_ID=$(step osd-new osd_new "$OSD_UUID") || return
  mkdir -p "$DIR/osd/osd.$OSD_ID"
  step osd-mkfs ceph-osd -c "$CONF" -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" >"$DIR/log/osd-mkfs.log" 2>&1
  step osd-start ceph-osd -c "$CONF" -i "$OSD_ID" 2>>"$DIR/log/osd-start.log"

  step rgw-start radosgw -c "$CONF" -n client.rgw.floe

  for _ in $(seq 1 120); do
    if answering; then break; fi
    sleep 0.25
  done
  if ! answering; then
    echo "radosgw: did not answer at $URL" >&2
    return 1
  fi

  if ! radosgw-admin -c "$CONF" user info --uid=floe >/dev/null 2>&1; then
    step user-create radosgw-admin -c "$CONF" user create --uid=floe --display-name="Floe tests" \
      --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
  fi
}

# A failed attempt shows its logs, is cleaned up and is tried again: a start on a fresh CI machine
# once failed a few seconds in with status 250 and printed nothing that said why.
attempts=3
for attempt_no in $(seq 1 $attempts); do
  set +e
  (
    set -e
    attempt
  )
  status=$?
  set -e
  if ((status == 0)); then
    break
  fi
  echo "radosgw: attempt $attempt_no of $attempts failed (status $status)" >&2
  show_logs
  "$(dirname "$0")/stop.sh" >/dev/null 2>&1 || true
  if ((attempt_no == attempts)); then
    echo "radosgw: giving up; logs in $DIR/log" >&2
    exit 1
  fi
  sleep 2
done

ELAPSED_MS=$(( $(date +%s%N) / 1000000 - START_MS ))
printf 'radosgw: answering at %s (access key %s) after %d.%03d s; data in %s\n' \
  "$URL" "$ACCESS_KEY" $((ELAPSED_MS / 1000)) $((ELAPSED_MS % 1000)) "$DIR"
