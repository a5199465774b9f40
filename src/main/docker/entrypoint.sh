#!/usr/bin/env bash
# Start command of the Floe container (src/main/docker/Dockerfile.jvm). Also runnable outside a
# container, which is how the test suite checks it (ContainerStartIT): FLOE_APP_DIR points at the
# quarkus-app directory (default /deployments, the image's).
#
#   JAVA_OPTS         replaces the default JVM options below
#   JAVA_OPTS_APPEND  is added after them
#   FLOE_* / QUARKUS_* settings as in README.md ("Configuration"); REST on 8080, Kafka on 9092
set -euo pipefail

app_dir="${FLOE_APP_DIR:-/deployments}"
java="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  java="$JAVA_HOME/bin/java"
fi

# Heap from the container's memory limit; fail fast on OOM so the orchestrator restarts us;
# ask for every interface (a container's port mapping comes from outside). Floe grants it only with
# FLOE_AUTH_ENABLED=true (or an explicit opt-out of authentication, README "Security"); otherwise it listens on loopback
# only and says so in its log (README "Security").
default_opts="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Djdk.nio.maxCachedBufferSize=1048576 \
-Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dquarkus.http.host=0.0.0.0"
# JDK 24+ closes java.lang to JBoss Threads' thread-local reset (harmless on 21, the image's JDK).
if "$java" -version 2>&1 | grep -qE 'version "(2[4-9]|[3-9][0-9])'; then
  default_opts="$default_opts --add-opens=java.base/java.lang=ALL-UNNAMED"
fi

# shellcheck disable=SC2086 # word splitting of the option strings is intended
exec "$java" ${JAVA_OPTS:-$default_opts} ${JAVA_OPTS_APPEND:-} -jar "$app_dir/quarkus-run.jar" "$@"
