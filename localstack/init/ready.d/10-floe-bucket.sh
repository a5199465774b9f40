#!/usr/bin/env bash
# LocalStack init hook (runs inside the container when LocalStack is ready): the bucket that a
# locally run Floe uses. Idempotent.
set -euo pipefail
bucket="${FLOE_DEV_BUCKET:-floe-dev}"
if ! awslocal s3api head-bucket --bucket "$bucket" 2>/dev/null; then
  awslocal s3api create-bucket --bucket "$bucket"
  awslocal s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
fi
echo "floe: bucket $bucket ready"
