/**
 * Every page's Content-Security-Policy with a fresh nonce (lib/csp.ts): set on the request, so
 * Next.js puts the nonce on its own scripts as it renders, and on the response, so the browser
 * runs only those.
 *
 * Local development and the browser tests only: with PCS_API_ORIGIN set, `/api/*` is forwarded to
 * that API so the browser stays same-origin, as behind the load balancer (which routes `/api/*` to
 * the API before a request reaches this app). Unset in the deployed service: nothing is forwarded.
 */
import { NextResponse, type NextRequest } from "next/server";

import { readWebConfig } from "@/lib/config.ts";
import { contentSecurityPolicy, newNonce } from "@/lib/csp.ts";

const CSP = "Content-Security-Policy";

export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/api/")) {
    const apiOrigin = process.env.PCS_API_ORIGIN;
    if (!apiOrigin) return NextResponse.next();
    return NextResponse.rewrite(new URL(pathname + search, apiOrigin));
  }
  const policy = contentSecurityPolicy(
    newNonce(),
    readWebConfig(process.env),
    process.env.NODE_ENV === "development",
  );
  const headers = new Headers(request.headers);
  headers.set(CSP, policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set(CSP, policy);
  return response;
}

// Everything but the build's content-hashed files (scripts and styles, which carry no policy).
export const config = { matcher: ["/api/:path*", "/((?!_next/static|_next/image|favicon.ico).*)"] };
