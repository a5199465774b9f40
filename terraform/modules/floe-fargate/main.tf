# Optional: Floe as a long-running ECS Fargate service, for the Kafka listener (9092) that Lambda
# cannot host, plus REST on 8080. The image is src/main/docker/Dockerfile.jvm. Background work runs
# in the process, so no schedule is needed. Clients reach it through a network load balancer
# (internal by default) whose targets are healthy when /q/health/ready answers.

locals {
  storage_url = var.prefix == "" ? "s3://${var.bucket_name}" : "s3://${var.bucket_name}/${trimsuffix(var.prefix, "/")}"
  ports       = { rest = 8080, kafka = 9092 }
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

# ECS's role for starting the task: pull the image, write logs.
resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory_mb
  task_role_arn            = aws_iam_role.task.arn
  execution_role_arn       = aws_iam_role.execution.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.architecture == "arm64" ? "ARM64" : "X86_64"
  }
  container_definitions = jsonencode([{
    name         = "floe"
    image        = var.image
    essential    = true
    portMappings = [for p in values(local.ports) : { containerPort = p, protocol = "tcp" }]
    environment = [for k, v in merge({ FLOE_STORAGE_URL = local.storage_url, FLOE_S3_REGION = var.bucket_region }, var.environment) :
    { name = k, value = v }]
    # Liveness only: an unreachable bucket makes Floe unready (the load balancer stops routing
    # to it), and restarting would not fix the bucket.
    healthCheck = {
      command     = ["CMD", "/usr/local/bin/healthcheck.sh", "live"]
      interval    = 15
      timeout     = 6
      retries     = 3
      startPeriod = 30
    }
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

resource "aws_security_group" "this" {
  name        = "${var.name}-tasks"
  description = "Floe tasks: REST and Kafka from the allowed networks only"
  vpc_id      = var.vpc_id
  tags        = var.tags

  dynamic "ingress" {
    for_each = local.ports
    content {
      description = ingress.key
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.allowed_cidrs
    }
  }

  egress {
    description = "S3 (HTTPS) and DNS"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "this" {
  name               = var.name
  load_balancer_type = "network"
  internal           = var.internal
  subnets            = var.subnet_ids
  tags               = var.tags
}

resource "aws_lb_target_group" "this" {
  for_each    = local.ports
  name        = "${var.name}-${each.key}"
  port        = each.value
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = var.vpc_id
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

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.this.id]
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
  depends_on = [aws_lb_listener.this]
  tags       = var.tags
}
