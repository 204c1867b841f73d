/**
 * Local development and the browser tests only: with PCS_API_ORIGIN set, `/api/*` is forwarded to
 * that API so the browser stays same-origin, as behind the load balancer (which routes `/api/*` to
 * the API before a request reaches this app). Unset in the deployed service: nothing is forwarded.
 */
import { NextResponse, type NextRequest } from "next/server";

export function proxy(request: NextRequest): NextResponse {
  const apiOrigin = process.env.PCS_API_ORIGIN;
  if (!apiOrigin) return NextResponse.next();
  const target = new URL(request.nextUrl.pathname + request.nextUrl.search, apiOrigin);
  return NextResponse.rewrite(target);
}

export const config = { matcher: "/api/:path*" };
