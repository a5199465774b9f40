#!/usr/bin/env bash
# Builds, deploys and smoke-tests Floe in a Terraform environment, without a terminal (CI):
#   infra/deploy.sh staging -var bucket_name=my-floe-staging [more terraform apply arguments]
#   infra/deploy.sh localstack
#
# Staging needs AWS credentials the usual way (AWS_PROFILE, or AWS_ACCESS_KEY_ID/...; Terraform,
# the AWS CLI and the smoke test all use them) and a state backend, from the first of:
#   FLOE_TF_STATE_BUCKET [FLOE_TF_STATE_KEY (floe/staging.tfstate), FLOE_TF_STATE_REGION (AWS_REGION)]
#   terraform/environments/staging/backend.hcl (-backend-config file; not committed)
#   TF_CLI_ARGS_init="-backend-config=..."
# With kafka_listener = true (a -var or a .tfvars) it also creates the ECR repository and the admin
# password's secret first, pushes the image built for amd64 and arm64 (docker buildx), gives the
# secret a random value the first time, then applies the rest with that image.
# FLOE_SKIP_BUILD=1 deploys the current target/lambda/function.zip (and target/quarkus-app).
# docs/DEPLOYMENT.md walks through it.
set -euo pipefail
cd "$(dirname "$0")/.."
env_name="${1:?usage: infra/deploy.sh staging|localstack [terraform apply args]}"
shift
dir="terraform/environments/$env_name"
[[ -d "$dir" ]] || { echo "deploy: no environment $dir" >&2; exit 2; }
export TF_IN_AUTOMATION=1
tf() { terraform -chdir="$dir" "$@"; }
say() { echo "deploy: $*"; }

init_args=(-input=false)
if [[ "$env_name" == "staging" ]]; then
  if [[ -n "${FLOE_TF_STATE_BUCKET:-}" ]]; then
    init_args+=(-backend-config="bucket=$FLOE_TF_STATE_BUCKET"
      -backend-config="key=${FLOE_TF_STATE_KEY:-floe/staging.tfstate}"
      -backend-config="region=${FLOE_TF_STATE_REGION:-${AWS_REGION:-${AWS_DEFAULT_REGION:?set FLOE_TF_STATE_REGION or AWS_REGION}}}")
  elif [[ -f "$dir/backend.hcl" ]]; then
    init_args+=(-backend-config=backend.hcl)
  elif [[ "${TF_CLI_ARGS_init:-}" != *backend-config* ]]; then
    echo "deploy: no state backend for staging: set FLOE_TF_STATE_BUCKET (docs/DEPLOYMENT.md, \"Deploying\")" >&2
    exit 2
  fi
fi

if [[ "${FLOE_SKIP_BUILD:-0}" != "1" ]]; then
  infra/build.sh
fi
tf init "${init_args[@]}"

apply_args=(-input=false -auto-approve "$@")

# The value of a resource attribute in the state, or "" ($1 = address, $2 = attribute).
state_value() {
  tf show -json | python3 -c '
import json, sys
address, attribute = sys.argv[1], sys.argv[2]
def walk(m):
    for r in m.get("resources", []):
        yield r
    for c in m.get("child_modules", []):
        yield from walk(c)
state = json.load(sys.stdin).get("values") or {}
for r in walk(state.get("root_module", {})):
    if r["address"] == address:
        print(r["values"].get(attribute) or "")
' "$1" "$2"
}

if [[ "$env_name" == "staging" ]]; then
  # Step 1: what the image and the tasks need before the service can exist (nothing when
  # kafka_listener is false).
  tf apply "${apply_args[@]}" -target='aws_ecr_repository.floe' -target='aws_ecr_lifecycle_policy.floe' \
    -target='module.kafka_listener[0].aws_secretsmanager_secret.admin_password'
  repo=$(state_value 'aws_ecr_repository.floe[0]' repository_url)
  if [[ -n "$repo" ]]; then
    tag=$(git rev-parse --short=12 HEAD 2>/dev/null || echo build)
    if [[ -n "$(git status --porcelain 2>/dev/null)" ]]; then
      tag="$tag-dirty-$(date +%Y%m%d%H%M%S)" # tags are immutable: never reuse one for other bytes
    fi
    registry="${repo%%/*}"
    region=$(cut -d. -f4 <<<"$registry")
    say "pushing $repo:$tag (linux/amd64 + linux/arm64)"
    aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry"
    if aws ecr describe-images --region "$region" --repository-name "${repo#*/}" --image-ids imageTag="$tag" >/dev/null 2>&1; then
      say "image $tag is already in the repository"
    else
      FLOE_SKIP_BUILD=1 infra/build.sh --push "$repo:$tag"
    fi
    apply_args+=(-var "image_tag=$tag")

    secret=$(state_value 'module.kafka_listener[0].aws_secretsmanager_secret.admin_password[0]' arn)
    if [[ -n "$secret" ]] && [[ "$(aws secretsmanager list-secret-version-ids --region "$region" --secret-id "$secret" \
        --query 'length(Versions)' --output text)" == "0" ]]; then
      say "giving the admin password secret a random value ($secret)"
      aws secretsmanager put-secret-value --region "$region" --secret-id "$secret" \
        --secret-string "$(openssl rand -base64 33 | tr -d '\n')" >/dev/null
    fi
  fi
fi

# Step 2: everything.
tf apply "${apply_args[@]}"
url=$(tf output -raw function_url)

if [[ "$env_name" == "localstack" ]]; then
  # LocalStack serves function URLs without checking signatures.
  export FLOE_SMOKE_SIGN=0
fi
infra/smoke-test.sh "$url"
