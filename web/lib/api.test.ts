import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ApiError,
  SESSION_EXPIRED,
  UNREACHABLE,
  apiRequest,
  describeApiError,
  errorWords,
  replaceById,
} from "./api.ts";

function answering(status: number, body: unknown): typeof fetch {
  return async () => new Response(JSON.stringify(body), { status });
}

test("a 401 says the session has expired, whatever the body", () => {
  assert.equal(describeApiError(401, { detail: "Invalid or revoked token." }), SESSION_EXPIRED);
});

test("field errors name the field and keep the API's words", () => {
  const body = { errors: { content_type: ['"x/y" is not an allowed content type; allowed: a, b'] } };
  assert.equal(
    describeApiError(400, body),
    'content_type: "x/y" is not an allowed content type; allowed: a, b',
  );
});

test("a 409's non-field message is shown without a field name", () => {
  assert.equal(
    describeApiError(409, { errors: { status: ["Document already uploaded."] } }),
    "status: Document already uploaded.",
  );
  assert.equal(describeApiError(400, { errors: { non_field_errors: ["Bad."] } }), "Bad.");
});

test("a 403 shows the API's reason, else says permission is missing", () => {
  assert.equal(
    describeApiError(403, { detail: "Auditors may not register documents." }),
    "Auditors may not register documents.",
  );
  assert.equal(describeApiError(403, {}), "You do not have permission to do this.");
});

test("server errors never show a body, only the status and a way forward", () => {
  const words = describeApiError(503, { detail: "Traceback ..." });
  assert.match(words, /status 503/);
  assert.doesNotMatch(words, /Traceback/);
});

test("a 4xx with no JSON still gets words", () => {
  assert.equal(describeApiError(404, null), "The request was refused (status 404).");
  assert.equal(describeApiError(404, { detail: "No such document." }), "No such document.");
});

test("apiRequest sends the bearer token and JSON, and returns the parsed body", async () => {
  let seen: RequestInit | undefined;
  const fetchImpl: typeof fetch = async (_url, init) => {
    seen = init;
    return new Response(JSON.stringify({ ok: true }), { status: 201 });
  };
  const body = await apiRequest<{ ok: boolean }>("/api/v1/documents/", {
    token: "abc",
    method: "POST",
    body: { title: "t" },
    fetchImpl,
  });
  assert.deepEqual(body, { ok: true });
  const headers = seen?.headers as Record<string, string>;
  assert.equal(headers.Authorization, "Bearer abc");
  assert.equal(headers["Content-Type"], "application/json");
  assert.equal(seen?.body, JSON.stringify({ title: "t" }));
  assert.ok(seen?.signal, "every call carries a timeout signal");
});

test("apiRequest turns a refusal into an ApiError with words", async () => {
  const call = apiRequest("/x", { token: "t", fetchImpl: answering(401, {}) });
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.sessionExpired, true);
    assert.equal(error.message, SESSION_EXPIRED);
    return true;
  });
});

test("apiRequest names an unreachable service instead of a TypeError", async () => {
  const down: typeof fetch = async () => {
    throw new TypeError("fetch failed");
  };
  await assert.rejects(apiRequest("/x", { token: "t", fetchImpl: down }), {
    name: "ApiError",
    message: UNREACHABLE,
  });
});

test("apiRequest gives up after its timeout", async () => {
  const hanging: typeof fetch = (_url, init) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
    });
  await assert.rejects(apiRequest("/x", { token: "t", fetchImpl: hanging, timeoutMs: 20 }), {
    message: UNREACHABLE,
  });
});

test("a caught failure is shown in its own words", () => {
  assert.equal(errorWords(new ApiError(400, "days: at most 90.")), "days: at most 90.");
  assert.equal(errorWords("offline"), "offline");
});

test("a changed item replaces the one with its id, the others stay in place", () => {
  const list = [
    { id: 1, name: "a" },
    { id: 2, name: "b" },
  ];
  assert.deepEqual(replaceById(list, { id: 2, name: "B" }), [
    { id: 1, name: "a" },
    { id: 2, name: "B" },
  ]);
  assert.deepEqual(list[1], { id: 2, name: "b" });
});
