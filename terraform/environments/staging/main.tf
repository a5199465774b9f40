# Staging on real AWS: the bucket, the Lambda function behind an IAM-authenticated function URL,
# its maintenance schedule, and optionally the Fargate service for the Kafka listener.
#   ./mvnw -B -Plambda package -DskipTests
#   terraform -chdir=terraform/environments/staging init
#   terraform -chdir=terraform/environments/staging apply -var bucket_name=my-floe-staging
# or infra/deploy.sh staging (docs/DEPLOYMENT.md).

terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
  # Keep state remote and locked; configure with -backend-config at init.
  backend "s3" {}
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { project = "floe", environment = "staging" }
  }
}

module "bucket" {
  source     = "../../modules/floe-bucket"
  name       = var.bucket_name
  versioning = var.bucket_versioning
}

module "lambda" {
  source             = "../../modules/floe-lambda"
  name               = var.function_name
  package_path       = var.package_path
  bucket_name        = module.bucket.name
  bucket_arn         = module.bucket.arn
  bucket_region      = var.region
  prefix             = var.prefix
  architecture       = var.architecture
  memory_mb          = var.memory_mb
  invoker_principals = var.invoker_principals
}

module "schedule" {
  source              = "../../modules/floe-schedule"
  function_name       = module.lambda.function_name
  function_arn        = module.lambda.function_arn
  schedule_expression = var.maintenance_schedule
}

module "kafka_listener" {
  source        = "../../modules/floe-fargate"
  count         = var.kafka_listener_image == null ? 0 : 1
  name          = "${var.function_name}-kafka"
  image         = var.kafka_listener_image
  bucket_name   = module.bucket.name
  bucket_arn    = module.bucket.arn
  bucket_region = var.region
  prefix        = var.prefix
  vpc_id        = var.vpc_id
  subnet_ids    = var.subnet_ids
  allowed_cidrs = var.allowed_cidrs
  architecture  = var.architecture
}
