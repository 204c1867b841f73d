import assert from "node:assert/strict";
import { test } from "node:test";

import { changeDone, invitedDone, memberState, type Member } from "./members.ts";

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

test("the invitation's status line says how the person will sign in", () => {
  const invited = { ...ANA, username: "ana@acme.example" };
  assert.equal(
    invitedDone({ ...invited, invitation: "email", identity_provider: null }),
    "ana@acme.example was invited as member: the user pool e-mailed them a temporary password; " +
      "they sign in as 0f8c3e1a-5f7e-4d0b-9a55-2f1b7b8d6c11.",
  );
  assert.equal(
    invitedDone({ ...invited, role: "admin", invitation: "identity_provider", identity_provider: "AcmeIdP" }),
    "ana@acme.example was added as admin: no invitation e-mail is sent; " +
      "they sign in through your organization's identity provider (AcmeIdP) with that address.",
  );
  assert.equal(
    invitedDone({ ...invited, invitation: "none", identity_provider: null }),
    "ana@acme.example was added as member; no invitation was sent (this deployment does not " +
      "reach the user pool): they sign in as 0f8c3e1a-5f7e-4d0b-9a55-2f1b7b8d6c11.",
  );
});
