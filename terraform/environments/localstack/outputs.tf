output "function_url" {
  description = "The function URL as LocalStack serves it (LocalStack does not enforce IAM auth)."
  value       = module.lambda.function_url
}

output "function_name" {
  description = "The function's name (awslocal lambda invoke --function-name ...)."
  value       = module.lambda.function_name
}

output "bucket_name" {
  description = "The function's bucket."
  value       = module.bucket.name
}
