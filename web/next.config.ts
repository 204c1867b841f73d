import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A self-contained server (node .next/standalone/server.js) for the container image.
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // The API's paths end in "/" (Django); Next must not redirect them before the proxy forwards.
  skipTrailingSlashRedirect: true,
  // The portal lives in this folder; don't let Next guess a workspace root above it.
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;
