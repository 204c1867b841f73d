"""The edge: certificate, the internal ALB and its listeners, CloudFront, WAF and DNS."""
