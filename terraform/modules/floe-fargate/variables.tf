variable "name" {
  description = "Names the cluster, service, roles and load balancer."
  type        = string
  default     = "floe"
}

variable "image" {
  description = "Container image built from src/main/docker/Dockerfile.jvm (e.g. an ECR repository URL with tag)."
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
  description = "Networks allowed to reach REST (8080) and Kafka (9092)."
  type        = list(string)
}

variable "internal" {
  description = "Internal (default) or internet-facing load balancer."
  type        = bool
  default     = true
}

variable "desired_count" {
  description = "Number of tasks; any number can share the bucket."
  type        = number
  default     = 2
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
  description = "x86_64 or arm64; the image must match."
  type        = string
  default     = "arm64"
}

variable "environment" {
  description = "Extra environment variables (README.md, Configuration)."
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
