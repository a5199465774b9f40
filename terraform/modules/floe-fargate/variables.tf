variable "name" {
  description = "Names the cluster, service, roles and load balancer."
  type        = string
  default     = "floe"
}

variable "image" {
  description = "Container image built from src/main/docker/Dockerfile.jvm for amd64 and arm64 (infra/build.sh --push), e.g. an ECR repository URL with tag."
  type        = string
}

variable "bucket_name" {
  description = "Floe's bucket."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of Floe's bucket (the task role is limited to it)."
  type        = string
}

variable "bucket_region" {
  description = "Region of the bucket."
  type        = string
}

variable "prefix" {
  description = "Key prefix of this cluster in the bucket; \"\" for the whole bucket."
  type        = string
  default     = ""
}

variable "kms_key_arn" {
  description = "The bucket's KMS key when it uses SSE-KMS, else null."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "VPC of the service."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the tasks and the load balancer (with a route to S3: NAT or an S3 gateway endpoint)."
  type        = list(string)
}

variable "allowed_cidrs" {
  description = "Client networks (IPv4 CIDRs) allowed to reach the load balancer's REST (8080) and Kafka (9092) ports. Nothing else reaches the tasks."
  type        = list(string)
  validation {
    condition     = length(var.allowed_cidrs) > 0 && alltrue([for c in var.allowed_cidrs : can(cidrhost(c, 0)) && !endswith(c, "/0")])
    error_message = "allowed_cidrs must list the client networks as IPv4 CIDRs; the whole internet (0.0.0.0/0) is not a client network."
  }
}

variable "internal" {
  description = "Internal (default) or internet-facing load balancer."
  type        = bool
  default     = true
}

variable "min_count" {
  description = "Fewest tasks (and the count at creation); any number can share the bucket."
  type        = number
  default     = 2
}

variable "max_count" {
  description = "Most tasks the CPU autoscaling may run."
  type        = number
  default     = 6
}

variable "cpu_target_percent" {
  description = "Average CPU utilisation the autoscaling keeps the service at."
  type        = number
  default     = 60
}

variable "health_check_grace_seconds" {
  description = "How long a new task's failing load-balancer health checks are ignored (JVM start, first bucket reads)."
  type        = number
  default     = 60
}

variable "admin_password_secret_arn" {
  description = "Secrets Manager secret holding the admin password (FLOE_AUTH_ADMIN_PASSWORD); null creates one (its value is set by infra/deploy.sh)."
  type        = string
  default     = null
}

variable "cpu" {
  description = "Task CPU units (1024 = 1 vCPU)."
  type        = number
  default     = 1024
}

variable "memory_mb" {
  description = "Task memory; the JVM takes 75% as heap."
  type        = number
  default     = 2048
}

variable "architecture" {
  description = "x86_64 or arm64 (Graviton, cheaper per vCPU); infra/build.sh --push builds the image for both."
  type        = string
  default     = "arm64"
  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "environment" {
  description = "Extra environment variables (README.md, Configuration); the module's own (storage, advertised host, authentication) win."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Retention of the tasks' CloudWatch logs."
  type        = number
  default     = 14
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
