#!/usr/bin/env bash
# Builds both deployables without running the tests (./mvnw -B verify runs them):
#   target/quarkus-app/          the server (./floe, the container image)
#   target/lambda/function.zip   the AWS Lambda package
# and optionally the container image (src/main/docker/Dockerfile.jvm; needs Docker):
#   infra/build.sh --image NAME   for this machine's architecture, into the local Docker
#   infra/build.sh --push NAME    for linux/amd64 AND linux/arm64 (one multi-architecture
#                                 manifest), pushed to NAME's registry. Needs docker buildx and,
#                                 for the architecture that is not the host's, QEMU binfmt
#                                 handlers (Docker Desktop has them; on Linux once:
#                                 docker run --privileged --rm tonistiigi/binfmt --install arm64,amd64).
# The image is plain Java on eclipse-temurin:21-jre (itself multi-architecture); the native
# compression libraries inside the jars cover both architectures, so both images are the same
# application. Fargate tasks of either architecture (terraform/modules/floe-fargate, variable
# architecture) run the pushed manifest. FLOE_SKIP_BUILD=1 skips the Maven builds.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${FLOE_SKIP_BUILD:-0}" != "1" ]]; then
  ./mvnw -B -q package -DskipTests
  ./mvnw -B -q -Dlambda package -DskipTests
fi
ls -l target/quarkus-app/quarkus-run.jar target/lambda/function.zip
case "${1:-}" in
  "") ;;
  --image)
    docker build -f src/main/docker/Dockerfile.jvm -t "${2:?--image NAME}" . ;;
  --push)
    docker buildx build --platform linux/amd64,linux/arm64 -f src/main/docker/Dockerfile.jvm \
      -t "${2:?--push NAME}" --push . ;;
  *)
    echo "usage: infra/build.sh [--image NAME | --push NAME]" >&2; exit 2 ;;
esac
