# Staging on real AWS: the bucket, the Lambda function behind an IAM-authenticated function URL,
# its maintenance schedule, and optionally (kafka_listener = true) the Fargate service for the
# Kafka listener with its image repository.
#   infra/deploy.sh staging -var bucket_name=my-floe-staging      (docs/DEPLOYMENT.md)
# which builds, runs terraform init and apply here, pushes the image, and smoke-tests.

terraform {
  # 1.10: the S3 backend's own lock file (use_lockfile), no DynamoDB table needed.
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
  # State in S3, locked with a lock object next to it. bucket, key and region come from
  # -backend-config at init (infra/deploy.sh: FLOE_TF_STATE_BUCKET, or TF_CLI_ARGS_init).
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { project = "floe", environment = "staging" }
  }
}

module "bucket" {
  source                  = "../../modules/floe-bucket"
  name                    = var.bucket_name
  versioning              = var.bucket_versioning
  noncurrent_version_days = var.noncurrent_version_days
}

module "lambda" {
  source                = "../../modules/floe-lambda"
  name                  = var.function_name
  package_path          = var.package_path
  bucket_name           = module.bucket.name
  bucket_arn            = module.bucket.arn
  bucket_region         = var.region
  prefix                = var.prefix
  architecture          = var.architecture
  memory_mb             = var.memory_mb
  invoker_principals    = var.invoker_principals
  rest_max_wait_seconds = var.rest_max_wait_seconds
}

module "schedule" {
  source              = "../../modules/floe-schedule"
  function_name       = module.lambda.function_name
  function_arn        = module.lambda.function_arn
  qualifier           = module.lambda.alias_name
  schedule_expression = var.maintenance_schedule
}

# The Kafka listener's image repository. infra/deploy.sh creates it first (-target), pushes the
# image built for amd64 and arm64, then applies the rest with image_tag.
resource "aws_ecr_repository" "floe" {
  count                = var.kafka_listener ? 1 : 0
  name                 = "${var.function_name}-kafka"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_lifecycle_policy" "floe" {
  count      = var.kafka_listener ? 1 : 0
  repository = aws_ecr_repository.floe[0].name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "keep the newest 20 images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 20 }
      action       = { type = "expire" }
    }]
  })
}

module "kafka_listener" {
  source        = "../../modules/floe-fargate"
  count         = var.kafka_listener ? 1 : 0
  name          = "${var.function_name}-kafka"
  image         = "${aws_ecr_repository.floe[0].repository_url}:${var.image_tag}"
  bucket_name   = module.bucket.name
  bucket_arn    = module.bucket.arn
  bucket_region = var.region
  prefix        = var.prefix
  vpc_id        = var.vpc_id
  subnet_ids    = var.subnet_ids
  allowed_cidrs = var.allowed_cidrs
  architecture  = var.architecture
  internal      = true
}

# Alarms and a dashboard (docs/OPERATIONS.md, "Alarms and dashboards").
module "monitoring" {
  source                    = "../../modules/floe-monitoring"
  name                      = var.function_name
  region                    = var.region
  bucket_name               = module.bucket.name
  function_name             = module.lambda.function_name
  load_balancer_arn_suffix  = var.kafka_listener ? module.kafka_listener[0].load_balancer_arn_suffix : null
  target_group_arn_suffixes = var.kafka_listener ? module.kafka_listener[0].target_group_arn_suffixes : {}
  lag_groups                = var.lag_alarm_groups
  lag_threshold             = var.lag_alarm_threshold
  alarm_actions             = var.alarm_actions
}
