variable "localstack_url" {
  description = "LocalStack's edge endpoint."
  type        = string
  default     = "http://localhost:4566"
}

variable "bucket_name" {
  description = "Bucket for the function (separate from floe-dev, which localstack/init creates for local runs)."
  type        = string
  default     = "floe-lambda"
}

variable "package_path" {
  description = "The Lambda package."
  type        = string
  default     = "../../../target/lambda/function.zip"
}
