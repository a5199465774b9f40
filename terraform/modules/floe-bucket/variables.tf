variable "name" {
  description = "Bucket name (globally unique)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for SSE-KMS; null (default) encrypts with S3-managed keys (SSE-S3, no KMS request costs)."
  type        = string
  default     = null
}

variable "versioning" {
  description = "Keep old versions of overwritten/deleted objects for noncurrent_version_days (an undo window). Staging and production: true."
  type        = bool
  default     = true
}

variable "noncurrent_version_days" {
  description = "Days after which noncurrent versions (deleted or replaced objects) are removed."
  type        = number
  default     = 7
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete a non-empty bucket. Never true where the data matters."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for the bucket."
  type        = map(string)
  default     = {}
}
