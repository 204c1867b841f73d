/**
 * The portal's runtime settings, read from the server's environment on each request (never baked
 * into the build, so one image serves every environment). The names are the API's, so one value
 * configures both services.
 */

export type WebConfig = {
  /** The OpenID provider's issuer (the Cognito user pool's issuer URL). */
  issuer: string;
  /** The web app client's id (public client: authorization code with PKCE, no secret). */
  clientId: string;
  /** Cognito's `/logout` endpoint, which its discovery document does not advertise. */
  logoutUrl: string | null;
  /** Origins the browser posts uploads to (the documents bucket's S3 hosts), for the CSP. */
  uploadOrigins: string[];
};

const REQUIRED = {
  issuer: "OIDC_ISSUER",
  clientId: "OIDC_CLIENT_ID",
  uploadOrigins: "PCS_UPLOAD_ORIGINS",
} as const;

/** Space-separated origins (`scheme://host[:port]`), or an Error naming the variable. */
function origins(name: string, value: string): string[] {
  const list = value.split(/\s+/).filter(Boolean);
  for (const item of list) {
    if (!URL.canParse(item) || new URL(item).origin !== item) {
      throw new Error(`${name}: "${item}" is not an origin; expected scheme://host[:port]`);
    }
  }
  return list;
}

/** The settings from `env`, or an Error naming every missing variable. */
export function readWebConfig(env: Record<string, string | undefined>): WebConfig {
  const missing = Object.values(REQUIRED).filter((name) => !env[name]);
  if (missing.length) {
    throw new Error(`missing environment variable(s): ${missing.join(", ")}`);
  }
  const cognitoDomain = env.COGNITO_DOMAIN?.replace(/\/+$/, "");
  return {
    issuer: env[REQUIRED.issuer] as string,
    clientId: env[REQUIRED.clientId] as string,
    logoutUrl: cognitoDomain ? `${cognitoDomain}/logout` : null,
    uploadOrigins: origins(REQUIRED.uploadOrigins, env[REQUIRED.uploadOrigins] as string),
  };
}
