import assert from "node:assert/strict";
import { test } from "node:test";

import { POLL_BUSY_MS, POLL_IDLE_MS, formatBytes, isSettled, pollDelay, statusLabel } from "./documents.ts";

test("each processing state has words", () => {
  assert.equal(statusLabel("awaiting_upload"), "Awaiting upload");
  assert.equal(statusLabel("uploaded"), "Processing");
  assert.equal(statusLabel("processed"), "Processed");
  assert.equal(statusLabel("failed"), "Failed");
  assert.equal(statusLabel("quarantined"), "quarantined");
});

test("only processed and failed documents are settled", () => {
  assert.deepEqual(
    ["awaiting_upload", "uploaded", "processed", "failed"].map(isSettled),
    [false, false, true, true],
  );
});

test("the list polls fast while the worker is processing, slowly otherwise", () => {
  assert.equal(pollDelay(["processed", "uploaded"]), POLL_BUSY_MS);
  assert.equal(pollDelay(["processed", "awaiting_upload"]), POLL_IDLE_MS);
  assert.equal(pollDelay([]), POLL_IDLE_MS);
  assert.ok(POLL_BUSY_MS < POLL_IDLE_MS);
});

test("sizes are shown in decimal units", () => {
  assert.equal(formatBytes(null), "—");
  assert.equal(formatBytes(999), "999 bytes");
  assert.equal(formatBytes(1_500_000), "1.5 MB");
});
