#!/usr/bin/env bash
# Smoke test of a deployed Floe, by its URL: health, topic admin, produce, fetch, offsets, and a
# consumer-group consume where the deployment has the REST consumer endpoints. Leaves nothing
# behind (deletes its topic). Exit 0 = all good.
#
#   infra/smoke-test.sh http://localhost:8080                        # a local jar or container
#   AWS_PROFILE=staging infra/smoke-test.sh https://abc.lambda-url.eu-west-1.on.aws/
#
# Lambda function URLs require IAM: every request to a *.lambda-url.<region>.on.aws URL (or with
# FLOE_SMOKE_SIGN=1) is signed with SigV4 for the "lambda" service (curl --aws-sigv4; curl >=
# 7.75). Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN] when set, else
# whatever the AWS CLI resolves for AWS_PROFILE (or the default profile: SSO, assume-role, ...)
# through `aws configure export-credentials` (AWS CLI v2). The region is the URL's, else
# AWS_REGION / AWS_DEFAULT_REGION, else the profile's. Other settings:
#   FLOE_SMOKE_SIGN      1 signs requests to other URLs too (API Gateway), 0 never signs
#   FLOE_SMOKE_SERVICE   SigV4 service name (default lambda; execute-api for API Gateway)
#   FLOE_SMOKE_USER, FLOE_SMOKE_PASSWORD   HTTP Basic credentials (a Floe with authentication on)
#   FLOE_SMOKE_GROUPS    require consumer groups: 1 fails when they are missing (default: skip)
# Needs curl and python3 (and the AWS CLI only to resolve a profile).
set -euo pipefail

url="${1:?usage: infra/smoke-test.sh URL}"
url="${url%/}"
topic="smoke-$(date +%s)-$RANDOM"
service="${FLOE_SMOKE_SERVICE:-lambda}"

sign="${FLOE_SMOKE_SIGN:-}"
url_region=""
if [[ "$url" =~ ^https://[^/]+\.lambda-url\.([a-z0-9-]+)\.on\.aws(/|$) ]]; then
  url_region="${BASH_REMATCH[1]}"
  sign="${sign:-1}"
fi

curl_args=(--silent --show-error --max-time 60)
if [[ "$sign" == "1" ]]; then
  if [[ -z "${AWS_ACCESS_KEY_ID:-}" || -z "${AWS_SECRET_ACCESS_KEY:-}" ]]; then
    command -v aws >/dev/null || { echo "smoke: $url needs SigV4 credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or install the AWS CLI for AWS_PROFILE" >&2; exit 2; }
    # AWS CLI v2 prints export lines for the profile's (possibly temporary) credentials; v1 can
    # only read a profile's static keys.
    if creds=$(aws configure export-credentials --format env 2>/dev/null); then
      eval "$creds"
    else
      AWS_ACCESS_KEY_ID=$(aws configure get aws_access_key_id || true)
      AWS_SECRET_ACCESS_KEY=$(aws configure get aws_secret_access_key || true)
      AWS_SESSION_TOKEN=$(aws configure get aws_session_token || true)
      [[ -n "$AWS_ACCESS_KEY_ID" && -n "$AWS_SECRET_ACCESS_KEY" ]] || {
        echo "smoke: no credentials for profile '${AWS_PROFILE:-default}' (SSO and assume-role profiles need AWS CLI v2)" >&2; exit 2; }
    fi
  fi
  region="${url_region:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}"
  if [[ -z "$region" ]] && command -v aws >/dev/null; then
    region=$(aws configure get region || true)
  fi
  [[ -n "$region" ]] || { echo "smoke: no region for SigV4: set AWS_REGION" >&2; exit 2; }
  curl_args+=(--aws-sigv4 "aws:amz:${region}:${service}" --user "${AWS_ACCESS_KEY_ID}:${AWS_SECRET_ACCESS_KEY}")
  if [[ -n "${AWS_SESSION_TOKEN:-}" ]]; then
    curl_args+=(-H "x-amz-security-token: ${AWS_SESSION_TOKEN}")
  fi
  echo "smoke: signing requests (SigV4, ${service}, ${region}, profile ${AWS_PROFILE:-default or environment})"
elif [[ -n "${FLOE_SMOKE_USER:-}" ]]; then
  curl_args+=(--user "${FLOE_SMOKE_USER}:${FLOE_SMOKE_PASSWORD:-}")
  echo "smoke: HTTP Basic as ${FLOE_SMOKE_USER}"
fi

# call METHOD PATH [CONTENT-TYPE BODY] -> sets $status and $body
call() {
  local method="$1" path="$2" type="${3:-}" data="${4:-}" out
  local args=("${curl_args[@]}" -X "$method" -w '\n%{http_code}')
  if [[ -n "$type" ]]; then
    args+=(-H "Content-Type: $type" --data-binary "$data")
  fi
  out=$(curl "${args[@]}" "$url$path") || { echo "FAIL: $method $path: no answer" >&2; exit 1; }
  status="${out##*$'\n'}"
  body="${out%$'\n'*}"
}

expect() { # expect STATUS... : the last call answered one of them
  local s
  for s in "$@"; do [[ "$status" == "$s" ]] && return 0; done
  echo "FAIL: expected HTTP $*, got $status: $body" >&2
  exit 1
}

json() { # json PYTHON-EXPRESSION-ON-d : evaluates it on the last body
  python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print($1)" <<<"$body"
}

cleanup() {
  if [[ -n "${cluster:-}" ]]; then
    call DELETE "/v3/clusters/$cluster/topics/$topic" || true
  fi
}
trap cleanup EXIT

step() { echo "smoke: $*"; }

step "health"
call GET /q/health/ready; expect 200
call GET /q/health/live; expect 200

step "cluster id"
call GET /v3/clusters; expect 200
cluster=$(json 'd["data"][0]["cluster_id"]')

step "create topic $topic"
call POST "/v3/clusters/$cluster/topics" application/json \
  "{\"topic_name\":\"$topic\",\"partitions_count\":1,\"configs\":[{\"name\":\"retention.ms\",\"value\":\"3600000\"}]}"
expect 200 201

step "produce 3 records"
call POST "/topics/$topic" application/vnd.kafka.json.v2+json \
  '{"records":[{"key":"a","value":{"n":1}},{"key":"b","value":{"n":2}},{"key":"a","value":{"n":3}}]}'
expect 200
[[ "$(json 'd["offsets"][2]["offset"]')" == "2" ]] || { echo "FAIL: offsets $body" >&2; exit 1; }

step "fetch them back"
call GET "/topics/$topic/partitions/0/records?offset=0&timeout=1000"
expect 200
[[ "$(json '",".join(str(r["value"]["n"]) for r in d)')" == "1,2,3" ]] || { echo "FAIL: fetched $body" >&2; exit 1; }

step "offsets"
call GET "/topics/$topic/partitions/0/offsets"; expect 200
[[ "$(json 'd["end_offset"]')" == "3" ]] || { echo "FAIL: offsets $body" >&2; exit 1; }

step "consumer group"
group="smoke-group-$RANDOM"
call POST "/consumers/$group" application/vnd.kafka.v2+json '{"name":"c1","format":"json","auto.offset.reset":"earliest"}'
if [[ "$status" == "404" || "$status" == "405" ]] && [[ "${FLOE_SMOKE_GROUPS:-0}" != "1" ]]; then
  step "  skipped: this deployment has no REST consumer endpoints (HTTP $status)"
else
  expect 200
  base="/consumers/$group/instances/c1"
  call POST "$base/subscription" application/vnd.kafka.v2+json "{\"topics\":[\"$topic\"]}"; expect 200 204
  got=""
  for _ in 1 2 3 4 5; do
    call GET "$base/records?timeout=2000"; expect 200
    got="$got$(json '"".join(str(r["value"]["n"]) for r in d)')"
    [[ ${#got} -ge 3 ]] && break
  done
  [[ "$got" == "123" ]] || { echo "FAIL: group consumed '$got'" >&2; exit 1; }
  call DELETE "$base"; expect 200 204
fi

step "delete topic"
call DELETE "/v3/clusters/$cluster/topics/$topic"; expect 200 204
cluster=""
echo "smoke: OK ($url)"
