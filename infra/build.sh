#!/usr/bin/env bash
# Builds both deployables without running the tests (./mvnw -B verify runs them):
#   target/quarkus-app/   the server (./floe, the container image)
#   target/lambda/function.zip   the AWS Lambda package
# and, with --image NAME, the container image (needs Docker).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B -q -Plambda package -DskipTests
ls -l target/quarkus-app/quarkus-run.jar target/lambda/function.zip
if [[ "${1:-}" == "--image" ]]; then
  docker build -f src/main/docker/Dockerfile.jvm -t "${2:?--image NAME}" .
fi
