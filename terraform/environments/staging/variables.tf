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
  description = "Versioning on the bucket (modules/floe-bucket explains the trade-off)."
  type        = bool
  default     = false
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

variable "kafka_listener_image" {
  description = "Image for the optional Fargate service with the Kafka listener; null (default) deploys none."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "VPC of the Fargate service (only with kafka_listener_image)."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Private subnets of the Fargate service (only with kafka_listener_image)."
  type        = list(string)
  default     = []
}

variable "allowed_cidrs" {
  description = "Networks allowed to reach the Fargate service (only with kafka_listener_image)."
  type        = list(string)
  default     = []
}
