"""The network tier (spec §1): VPC, subnets, NAT, endpoints, flow logs, security groups."""
