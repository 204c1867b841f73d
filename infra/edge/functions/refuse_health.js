// CloudFront viewer-request function: the health endpoints are for the load balancer's target
// checks and the blue/green test client, never the internet (docs/decisions/edge-health-not-public.md).
// The path is compared as the origin will see it: percent-decoded, repeated slashes collapsed,
// case-folded, so /%68ealth, //health and /HEALTH/ready are refused like /health.
function handler(event) {
  var request = event.request;
  var path;
  try {
    path = decodeURIComponent(request.uri);
  } catch (malformed) {
    return { statusCode: 400, statusDescription: "Bad Request" };
  }
  path = path.replace(/\/{2,}/g, "/").toLowerCase();
  if (path.indexOf("/health") === 0) {
    return { statusCode: 404, statusDescription: "Not Found" };
  }
  return request;
}
