import assert from "node:assert/strict";
import { test } from "node:test";

import { changeDone, memberState, type Member } from "./members.ts";

const ANA: Member = {
  id: 1,
  username: "ana",
  role: "member",
  is_active: true,
  signed_in: false,
  sign_in_username: "0f8c3e1a-5f7e-4d0b-9a55-2f1b7b8d6c11",
};

test("a member's state is said in words: invited, active or deactivated", () => {
  assert.equal(memberState(ANA), "Invited, not signed in yet");
  assert.equal(memberState({ ...ANA, signed_in: true }), "Active");
  assert.equal(memberState({ ...ANA, signed_in: true, is_active: false }), "Deactivated");
});

test("each change an admin makes is confirmed in words", () => {
  assert.equal(changeDone(ANA, { role: "auditor" }), "ana is now an auditor.");
  assert.equal(changeDone(ANA, { role: "admin" }), "ana is now an admin.");
  assert.equal(changeDone(ANA, { role: "member" }), "ana is now a member.");
  assert.equal(changeDone(ANA, { is_active: false }), "ana was deactivated.");
  assert.equal(changeDone(ANA, { is_active: true }), "ana was reactivated.");
});
