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

output "load_balancer_arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch's LoadBalancer dimension)."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn_suffixes" {
  description = "ARN suffixes of the target groups by port name (CloudWatch's TargetGroup dimension)."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.arn_suffix }
}
