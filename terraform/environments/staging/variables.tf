variable "region" {
  description = "AWS region of everything."
  type        = string
  default     = "eu-west-1"
}

variable "bucket_name" {
  description = "Name of the staging bucket (globally unique)."
  type        = string
}

variable "bucket_versioning" {
  description = "Versioning on the bucket: an undo window of noncurrent_version_days (modules/floe-bucket explains the cost)."
  type        = bool
  default     = true
}

variable "noncurrent_version_days" {
  description = "Days a deleted or replaced object stays recoverable."
  type        = number
  default     = 7
}

variable "prefix" {
  description = "Key prefix of the cluster in the bucket."
  type        = string
  default     = "floe"
}

variable "function_name" {
  description = "Name of the function (and prefix of other names)."
  type        = string
  default     = "floe-staging"
}

variable "package_path" {
  description = "The Lambda package."
  type        = string
  default     = "../../../target/lambda/function.zip"
}

variable "architecture" {
  description = "x86_64 or arm64."
  type        = string
  default     = "arm64"
}

variable "memory_mb" {
  description = "Lambda memory."
  type        = number
  default     = 1024
}

variable "invoker_principals" {
  description = "Principals (account ids, role ARNs) allowed to call the function URL, e.g. the CI role that runs the smoke test."
  type        = list(string)
  default     = []
}

variable "maintenance_schedule" {
  description = "EventBridge schedule of the maintenance invocation."
  type        = string
  default     = "rate(5 minutes)"
}

variable "rest_max_wait_seconds" {
  description = "Longest REST long poll on Lambda; the function's timeout is derived from it (modules/floe-lambda)."
  type        = number
  default     = 20
}

variable "kafka_listener" {
  description = "Deploy the Fargate service with the Kafka listener (and its ECR repository)."
  type        = bool
  default     = false
}

variable "image_tag" {
  description = "Tag of the Kafka listener's image in its ECR repository (infra/deploy.sh sets it to what it pushed)."
  type        = string
  default     = "latest"
}

variable "vpc_id" {
  description = "VPC of the Fargate service (only with kafka_listener)."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Private subnets of the Fargate service (only with kafka_listener), with a route to S3."
  type        = list(string)
  default     = []
}

variable "allowed_cidrs" {
  description = "Client networks allowed to reach the Fargate service (only with kafka_listener)."
  type        = list(string)
  default     = []
}

variable "lag_alarm_groups" {
  description = "Consumer groups whose total lag is alarmed on (needs Floe's metrics in CloudWatch, docs/OPERATIONS.md)."
  type        = list(string)
  default     = []
}

variable "lag_alarm_threshold" {
  description = "Total lag (records) above which a group's alarm fires, held for 15 minutes."
  type        = number
  default     = 100000
}

variable "alarm_actions" {
  description = "ARNs (SNS topics) notified when an alarm fires or recovers."
  type        = list(string)
  default     = []
}
