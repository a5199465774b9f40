# Source this to point Floe (./floe, the tests' S3 scenarios) at LocalStack:
#   . localstack/floe-env.sh && ./floe
export FLOE_STORAGE_URL=s3://floe-dev
export FLOE_S3_ENDPOINT=http://127.0.0.1:4566
export FLOE_S3_PATH_STYLE=true
export FLOE_S3_REGION=us-east-1
export FLOE_S3_ACCESS_KEY=test
export FLOE_S3_SECRET_KEY=test
