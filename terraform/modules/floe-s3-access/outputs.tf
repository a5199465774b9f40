output "policy_json" {
  description = "IAM policy document (JSON) granting Floe its bucket prefix and nothing else."
  value       = data.aws_iam_policy_document.this.json
}
