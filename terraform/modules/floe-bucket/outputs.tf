output "name" {
  description = "The bucket's name (known at plan time)."
  value       = aws_s3_bucket.this.bucket
}

output "arn" {
  description = "The bucket's ARN (spelled from its name, so that policies naming it are known at plan time)."
  value       = "arn:${data.aws_partition.current.partition}:s3:::${aws_s3_bucket.this.bucket}"
}
