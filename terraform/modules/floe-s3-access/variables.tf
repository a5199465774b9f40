variable "bucket_arn" {
  description = "ARN of Floe's bucket."
  type        = string
}

variable "prefix" {
  description = "Key prefix of this Floe cluster in the bucket (as in FLOE_STORAGE_URL=s3://bucket/prefix); \"\" for the whole bucket."
  type        = string
  default     = ""
}

variable "kms_key_arn" {
  description = "The bucket's KMS key when it uses SSE-KMS, else null."
  type        = string
  default     = null
}
