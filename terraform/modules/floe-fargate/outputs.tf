output "load_balancer_dns" {
  description = "DNS name of the load balancer: REST on :8080, Kafka bootstrap on :9092."
  value       = aws_lb.this.dns_name
}

output "task_role_arn" {
  description = "The tasks' role (bucket access)."
  value       = aws_iam_role.task.arn
}

output "admin_password_secret_arn" {
  description = "Secrets Manager secret of the admin password (set its value before the tasks can start)."
  value       = local.admin_password_secret_arn
}

output "load_balancer_security_group_id" {
  description = "Security group of the load balancer (admits allowed_cidrs)."
  value       = aws_security_group.lb.id
}
