import assert from "node:assert/strict";
import { test } from "node:test";

import { AUDIT_PAGE_SIZE, NO_FILTERS, auditUrl, rangeProblem } from "./audit.ts";

test("no filters asks for the first page only", () => {
  assert.equal(auditUrl(NO_FILTERS, 0), `/api/v1/audit-events/?limit=${AUDIT_PAGE_SIZE}&offset=0`);
});

test("filters are trimmed, dates become whole UTC days, pages become offsets", () => {
  const url = new URL(
    auditUrl({ action: " document.read ", outcome: "failure", actor: "", since: "2026-11-01", until: "2026-11-02" }, 2),
    "http://x",
  );
  assert.equal(url.searchParams.get("action"), "document.read");
  assert.equal(url.searchParams.get("outcome"), "failure");
  assert.equal(url.searchParams.has("actor"), false);
  assert.equal(url.searchParams.get("since"), "2026-11-01T00:00:00Z");
  assert.equal(url.searchParams.get("until"), "2026-11-02T23:59:59.999Z");
  assert.equal(url.searchParams.get("offset"), String(2 * AUDIT_PAGE_SIZE));
});

test("an inverted date range is named", () => {
  assert.equal(rangeProblem({ ...NO_FILTERS, since: "2026-11-02", until: "2026-11-01" }), "The end date is before the start date.");
  assert.equal(rangeProblem({ ...NO_FILTERS, since: "2026-11-01", until: "2026-11-01" }), null);
});
