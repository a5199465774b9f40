# Optional: Floe as a long-running ECS Fargate service, for the Kafka listener (9092) that Lambda
# cannot host, plus REST on 8080. The image is src/main/docker/Dockerfile.jvm (infra/build.sh
# --push builds it for amd64 and arm64). Background work runs in the process, so no schedule is
# needed. Clients reach it through a network load balancer (internal by default):
#   clients (allowed_cidrs) --> load balancer security group --> tasks' security group (LB only)
# The tasks authenticate every client (FLOE_AUTH_ENABLED=true, admin password from Secrets
# Manager) and tell Kafka clients to connect to the load balancer's DNS name.

locals {
  storage_url = var.prefix == "" ? "s3://${var.bucket_name}" : "s3://${var.bucket_name}/${trimsuffix(var.prefix, "/")}"
  ports       = { rest = 8080, kafka = 9092 }

  # The settings the module owns; var.environment adds to them (and may not replace them).
  environment = {
    FLOE_STORAGE_URL = local.storage_url
    FLOE_S3_REGION   = var.bucket_region
    # Metadata names the load balancer, not the task's private address, as every broker.
    FLOE_KAFKA_ADVERTISED_HOST = aws_lb.this.dns_name
    FLOE_KAFKA_ADVERTISED_PORT = tostring(local.ports.kafka)
    FLOE_AUTH_ENABLED          = "true"
  }
  # Read by ECS from Secrets Manager when the task starts; never in the task definition or the state.
  secrets = {
    FLOE_AUTH_ADMIN_PASSWORD = local.admin_password_secret_arn
  }
  admin_password_secret_arn = var.admin_password_secret_arn == null ? aws_secretsmanager_secret.admin_password[0].arn : var.admin_password_secret_arn
}

data "aws_region" "current" {}

resource "aws_ecs_cluster" "this" {
  name = var.name
  tags = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# ---- the admin password -----------------------------------------------------------------------

# The secret, without a value: Terraform would keep a value in its state. infra/deploy.sh puts a
# random one the first time (`aws secretsmanager put-secret-value`); rotate it the same way and
# restart the tasks. Or pass an existing secret as admin_password_secret_arn.
resource "aws_secretsmanager_secret" "admin_password" {
  count       = var.admin_password_secret_arn == null ? 1 : 0
  name        = "${var.name}/admin-password"
  description = "Password of Floe's admin user (FLOE_AUTH_ADMIN_PASSWORD) for ${var.name}"
  tags        = var.tags
}

# ---- roles --------------------------------------------------------------------------------------

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# The task's own role: the bucket prefix and nothing else.
resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

module "s3_access" {
  source      = "../floe-s3-access"
  bucket_arn  = var.bucket_arn
  prefix      = var.prefix
  kms_key_arn = var.kms_key_arn
}

resource "aws_iam_role_policy" "task_bucket" {
  name   = "floe-bucket"
  role   = aws_iam_role.task.id
  policy = module.s3_access.policy_json
}

# ECS's role for starting the task: pull the image, write logs, read the admin password.
resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  statement {
    sid       = "FloeAdminPassword"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.admin_password_secret_arn]
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "floe-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

# ---- the task -----------------------------------------------------------------------------------

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory_mb
  task_role_arn            = aws_iam_role.task.arn
  execution_role_arn       = aws_iam_role.execution.arn
  # The image is built for both architectures (infra/build.sh --push), so either runs it.
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.architecture == "arm64" ? "ARM64" : "X86_64"
  }
  container_definitions = jsonencode([{
    name         = "floe"
    image        = var.image
    essential    = true
    portMappings = [for p in values(local.ports) : { containerPort = p, protocol = "tcp" }]
    environment  = [for k, v in merge(var.environment, local.environment) : { name = k, value = v }]
    secrets      = [for k, arn in local.secrets : { name = k, valueFrom = arn }]
    # Liveness only: an unreachable bucket makes Floe unready (the load balancer stops routing
    # to it), and restarting would not fix the bucket.
    healthCheck = {
      command     = ["CMD", "/usr/local/bin/healthcheck.sh", "live"]
      interval    = 15
      timeout     = 6
      retries     = 3
      startPeriod = 30
    }
    # entrypoint.sh execs java, which gets SIGTERM and flushes; give it time before SIGKILL.
    stopTimeout = 30
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = "floe"
      }
    }
  }])
  tags = var.tags
}

# ---- network ------------------------------------------------------------------------------------

resource "aws_security_group" "lb" {
  name        = "${var.name}-lb"
  description = "Floe load balancer: REST and Kafka from allowed_cidrs only"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "lb" {
  for_each          = { for pair in setproduct(keys(local.ports), var.allowed_cidrs) : "${pair[0]} ${pair[1]}" => { port = local.ports[pair[0]], cidr = pair[1] } }
  security_group_id = aws_security_group.lb.id
  description       = "clients (${split(" ", each.key)[0]})"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "lb_to_tasks" {
  for_each                     = local.ports
  security_group_id            = aws_security_group.lb.id
  description                  = "to the tasks (${each.key}, and health checks)"
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  referenced_security_group_id = aws_security_group.tasks.id
  tags                         = var.tags
}

resource "aws_security_group" "tasks" {
  name        = "${var.name}-tasks"
  description = "Floe tasks: REST and Kafka from the load balancer only"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "tasks_from_lb" {
  for_each                     = local.ports
  security_group_id            = aws_security_group.tasks.id
  description                  = "from the load balancer (${each.key})"
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  referenced_security_group_id = aws_security_group.lb.id
  tags                         = var.tags
}

# HTTPS out: S3, Secrets Manager, ECR and CloudWatch Logs (through NAT or VPC endpoints). DNS to
# the VPC resolver is not subject to security groups.
resource "aws_vpc_security_group_egress_rule" "tasks_https" {
  security_group_id = aws_security_group.tasks.id
  description       = "AWS APIs over HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

resource "aws_lb" "this" {
  name               = var.name
  load_balancer_type = "network"
  internal           = var.internal
  subnets            = var.subnet_ids
  # A network load balancer takes security groups only when it is created.
  security_groups = [aws_security_group.lb.id]
  tags            = var.tags
}

resource "aws_lb_target_group" "this" {
  for_each    = local.ports
  name        = "${var.name}-${each.key}"
  port        = each.value
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
  # Kafka clients reconnect on their own; a draining task need not wait 5 minutes for them.
  deregistration_delay = 30
  # Floe sees each client's own address (audit log, slowing down repeated failed logins per
  # address) rather than the load balancer's; the tasks' security group still admits only the
  # load balancer's group, which holds with client IP preservation.
  preserve_client_ip = "true"
  health_check {
    protocol = "HTTP"
    port     = tostring(local.ports.rest)
    path     = "/q/health/ready"
  }
  tags = var.tags
}

resource "aws_lb_listener" "this" {
  for_each          = local.ports
  load_balancer_arn = aws_lb.this.arn
  port              = each.value
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[each.key].arn
  }
}

# ---- the service --------------------------------------------------------------------------------

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.min_count
  launch_type     = "FARGATE"
  # A new task starts the JVM and reads its bucket state before it is ready: the load balancer's
  # health checks do not count against it for this long.
  health_check_grace_period_seconds = var.health_check_grace_seconds
  # A deployment whose tasks keep failing stops and rolls back to the last good task definition.
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }
  dynamic "load_balancer" {
    for_each = local.ports
    content {
      target_group_arn = aws_lb_target_group.this[load_balancer.key].arn
      container_name   = "floe"
      container_port   = load_balancer.value
    }
  }
  # The autoscaler owns the number of tasks once the service exists.
  lifecycle {
    ignore_changes = [desired_count]
  }
  depends_on = [aws_lb_listener.this]
  tags       = var.tags
}

# Autoscaling on CPU. Floe's produce and fetch paths are CPU-bound per task (record validation,
# batch building, TLS) while the bucket scales by itself, so CPU follows the produce and consume
# bytes; there is no CloudWatch metric of produced bytes to scale on directly (Floe's own
# counters are Prometheus, /q/metrics; docs/DECISIONS.md D36).
resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.this.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_count
  max_capacity       = var.max_count
  tags               = var.tags
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
    target_value       = var.cpu_target_percent
    scale_out_cooldown = 60
    # Scaling in moves Kafka connections (clients reconnect through the load balancer): slowly.
    scale_in_cooldown = 300
  }
}
