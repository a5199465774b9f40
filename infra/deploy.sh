#!/usr/bin/env bash
# Builds, deploys and smoke-tests Floe in a Terraform environment:
#   infra/deploy.sh staging -var bucket_name=my-floe-staging [more terraform apply arguments]
#   infra/deploy.sh localstack
# Staging needs AWS credentials in the environment (they also sign the smoke test's requests) and
# a backend configured at init (TF_CLI_ARGS_init="-backend-config=..." or backend.hcl, see
# docs/DEPLOYMENT.md). Set FLOE_SKIP_BUILD=1 to deploy the current target/lambda/function.zip.
set -euo pipefail
cd "$(dirname "$0")/.."
env_name="${1:?usage: infra/deploy.sh staging|localstack [terraform apply args]}"
shift
dir="terraform/environments/$env_name"
[[ -d "$dir" ]] || { echo "deploy: no environment $dir" >&2; exit 2; }

if [[ "${FLOE_SKIP_BUILD:-0}" != "1" ]]; then
  infra/build.sh
fi
terraform -chdir="$dir" init -input=false
terraform -chdir="$dir" apply -input=false "$@"
url=$(terraform -chdir="$dir" output -raw function_url)

if [[ "$env_name" == "localstack" ]]; then
  # LocalStack serves function URLs without checking signatures.
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
fi
infra/smoke-test.sh "$url"
