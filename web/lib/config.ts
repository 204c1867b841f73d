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
};

const REQUIRED = { issuer: "OIDC_ISSUER", clientId: "OIDC_CLIENT_ID" } as const;

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
  };
}
