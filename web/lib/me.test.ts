import assert from "node:assert/strict";
import { test } from "node:test";

import { mayUse, pagesFor } from "./me.ts";

const labels = (role: Parameters<typeof pagesFor>[0]) => pagesFor(role).map((page) => page.label);

test("a member sees documents and their API tokens, not the audit trail or members", () => {
  assert.deepEqual(labels("member"), ["Documents", "API tokens"]);
  assert.equal(mayUse("member", "/members"), false);
  assert.equal(mayUse("member", "/audit"), false);
});

test("an auditor also sees the audit trail", () => {
  assert.deepEqual(labels("auditor"), ["Documents", "Audit trail", "API tokens"]);
});

test("an admin sees every page, members included", () => {
  assert.deepEqual(labels("admin"), ["Documents", "Audit trail", "Members", "API tokens"]);
  assert.equal(mayUse("admin", "/members"), true);
});
