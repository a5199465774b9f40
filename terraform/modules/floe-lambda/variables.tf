variable "name" {
  description = "Function name; also names its role and log group."
  type        = string
  default     = "floe"
}

variable "package_path" {
  description = "Path of the deployment package: target/lambda/function.zip of ./mvnw -B -Dlambda package."
  type        = string
}

variable "bucket_name" {
  description = "Floe's bucket."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of Floe's bucket (the IAM policy is limited to it)."
  type        = string
}

variable "bucket_region" {
  description = "Region of the bucket (FLOE_S3_REGION)."
  type        = string
}

variable "prefix" {
  description = "Key prefix of this cluster in the bucket; \"\" for the whole bucket. IAM is limited to it."
  type        = string
  default     = ""
}

variable "kms_key_arn" {
  description = "The bucket's KMS key when it uses SSE-KMS, else null."
  type        = string
  default     = null
}

variable "s3_endpoint" {
  description = "S3 endpoint override (LocalStack: http://localhost.localstack.cloud:4566); null for AWS."
  type        = string
  default     = null
}

variable "architecture" {
  description = "x86_64 or arm64 (Graviton: about 20% cheaper per GB-second)."
  type        = string
  default     = "arm64"
  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "memory_mb" {
  description = "Memory (and proportional CPU). 1024 MB gives a cold start about twice as fast as 512 MB."
  type        = number
  default     = 1024
}

variable "rest_max_wait_seconds" {
  description = "Longest REST long poll (fetch 'timeout'); longer requests are clamped, with a response header. The function's timeout is derived from it."
  type        = number
  default     = 20
  validation {
    condition     = var.rest_max_wait_seconds >= 0 && var.rest_max_wait_seconds <= 60
    error_message = "rest_max_wait_seconds must be 0 to 60 (the REST API's own limit)."
  }
}

variable "quiesce_limit_seconds" {
  description = "Longest wait, at the end of an invocation, for in-flight work (flushes, checkpoints) before the answer is sent. Part of the timeout."
  type        = number
  default     = 10
}

variable "janitor_lease_seconds" {
  description = "Janitor lease (FLOE_JANITOR_LEASE); a maintenance run stops starting new work after a third of it. Part of the timeout."
  type        = number
  default     = 60
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions (caps instances and S3 request rate); -1 = unreserved."
  type        = number
  default     = -1
}

variable "invoker_principals" {
  description = "Extra principals (account ids or role ARNs) allowed to call the IAM-authenticated function URL."
  type        = list(string)
  default     = []
}

variable "environment" {
  description = "Extra environment variables, e.g. FLOE_CACHE_MAX_BYTES (README.md, Configuration)."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Retention of the function's CloudWatch logs."
  type        = number
  default     = 14
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "snap_start" {
  description = "Restore published versions from a SnapStart snapshot instead of starting cold (docs/DEPLOYMENT.md, \"SnapStart\")."
  type        = bool
  default     = true
}
