/**
 * Calls to the PCS API (same origin, `/api/v1/...`) and the words a person sees when one fails.
 *
 * Every call has a timeout; every failure becomes an `ApiError` whose message can be shown as is.
 */

export const SESSION_EXPIRED = "Your session has expired. Sign in again to continue.";
export const UNREACHABLE =
  "The service could not be reached. Check your connection and try again.";
export const REQUEST_TIMEOUT_MS = 15_000;

/** A failed API call, with a message written for the person using the portal. */
export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }

  /** True when signing in again is the way out (expired or refused credentials). */
  get sessionExpired(): boolean {
    return this.status === 401;
  }
}

type ErrorBody = { detail?: unknown; errors?: unknown };

function fieldMessages(errors: unknown): string[] {
  if (!errors || typeof errors !== "object") return [];
  return Object.entries(errors as Record<string, unknown>).flatMap(([field, messages]) => {
    const list = Array.isArray(messages) ? messages : [messages];
    const prefix = field === "non_field_errors" || field === "detail" ? "" : `${field}: `;
    return list.map((message) => `${prefix}${String(message)}`);
  });
}

/** The words for an API answer with status `status` and JSON body `body` (or null). */
export function describeApiError(status: number, body: unknown): string {
  if (status === 401) return SESSION_EXPIRED;
  const { detail, errors } = (body && typeof body === "object" ? body : {}) as ErrorBody;
  const messages = fieldMessages(errors);
  if (typeof detail === "string" && detail) messages.unshift(detail);
  if (status === 403) {
    return messages.length ? messages.join(" ") : "You do not have permission to do this.";
  }
  if (status >= 500) {
    return `The service had a problem (status ${status}). Try again in a moment.`;
  }
  if (status === 429) {
    return "Too many requests. Wait a moment and try again.";
  }
  if (messages.length) return messages.join(" ");
  return `The request was refused (status ${status}).`;
}

export type ApiRequest = {
  token: string;
  method?: "GET" | "POST" | "PATCH";
  body?: unknown;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
};

/** Call `path` on the API with the member's access token; the parsed JSON, or an ApiError. */
export async function apiRequest<T>(path: string, request: ApiRequest): Promise<T> {
  const { token, method = "GET", body, fetchImpl = fetch, timeoutMs = REQUEST_TIMEOUT_MS } = request;
  const headers: Record<string, string> = {
    Accept: "application/json",
    Authorization: `Bearer ${token}`,
  };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetchImpl(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, UNREACHABLE);
  }
  const parsed: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, describeApiError(response.status, parsed));
  return parsed as T;
}

/** The words for a failure caught around an API call (an `ApiError`'s message is already for people). */
export function errorWords(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/** `list` with the item of `updated`'s id replaced by `updated` (the API's answer to a change). */
export function replaceById<T extends { id: number }>(list: readonly T[], updated: T): T[] {
  return list.map((item) => (item.id === updated.id ? updated : item));
}
