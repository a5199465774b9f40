# The same modules against LocalStack (localstack/docker-compose.yml), for trying the deployment
# without an AWS account:
#   docker compose -f localstack/docker-compose.yml up -d --wait
#   infra/deploy.sh localstack
# The function runs inside LocalStack and reaches S3 at localhost.localstack.cloud. LocalStack
# does not enforce IAM, bucket policies or function URL signatures (docs/DEPLOYMENT.md): this
# environment checks that the deployment wires up and runs, not that it is secure.

terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    cloudwatch     = var.localstack_url
    cloudwatchlogs = var.localstack_url
    ec2            = var.localstack_url
    ecs            = var.localstack_url
    elbv2          = var.localstack_url
    events         = var.localstack_url
    iam            = var.localstack_url
    lambda         = var.localstack_url
    s3             = var.localstack_url
    sts            = var.localstack_url
  }
}

module "bucket" {
  source        = "../../modules/floe-bucket"
  name          = var.bucket_name
  force_destroy = true
  # LocalStack before 4.10 let concurrent If-Match writes race on versioned buckets.
  versioning = false
}

module "lambda" {
  source        = "../../modules/floe-lambda"
  name          = "floe"
  package_path  = var.package_path
  bucket_name   = module.bucket.name
  bucket_arn    = module.bucket.arn
  bucket_region = "us-east-1"
  s3_endpoint   = "http://localhost.localstack.cloud:4566"
  memory_mb     = 1024
  snap_start    = false # LocalStack emulates no SnapStart
}

module "schedule" {
  source        = "../../modules/floe-schedule"
  function_name = module.lambda.function_name
  function_arn  = module.lambda.function_arn
  qualifier     = module.lambda.alias_name
}
