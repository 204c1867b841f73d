import assert from "node:assert/strict";
import { test } from "node:test";

import type { UploadForm } from "./documents.ts";
import { contentTypeOf, describeS3Refusal, uploadBody, uploadToS3 } from "./upload.ts";

const FORM: UploadForm = {
  url: "http://s3.test/bucket",
  fields: { key: "org/doc", "Content-Type": "text/plain", policy: "p", "x-amz-signature": "s" },
  expires_in: 900,
};

function s3Error(code: string, message: string): string {
  return `<?xml version="1.0"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

test("the policy fields come first and the file last, as S3 requires", () => {
  const body = uploadBody(FORM, new Blob(["hello"]), "a.txt");
  const names = [...body.keys()];
  assert.deepEqual(names, ["key", "Content-Type", "policy", "x-amz-signature", "file"]);
  assert.equal((body.get("file") as File).name, "a.txt");
});

test("an unknown file type is registered as octet-stream, for the API to refuse in words", () => {
  assert.equal(contentTypeOf({ type: "" }), "application/octet-stream");
  assert.equal(contentTypeOf({ type: "application/pdf" }), "application/pdf");
});

test("S3's refusals are put in words", () => {
  assert.match(describeS3Refusal(400, s3Error("EntityTooLarge", "too big")), /larger than/);
  assert.match(
    describeS3Refusal(403, s3Error("AccessDenied", "Invalid according to Policy: Policy expired.")),
    /has expired/,
  );
  assert.equal(
    describeS3Refusal(400, s3Error("InvalidArgument", "Bad header")),
    "Upload refused by storage (Bad header).",
  );
  assert.equal(describeS3Refusal(502, "<html>"), "Upload refused by storage (status 502).");
});

test("uploadToS3 posts the form to the pre-signed URL and resolves on success", async () => {
  let url: unknown;
  const fetchImpl: typeof fetch = async (target, init) => {
    url = target;
    assert.equal(init?.method, "POST");
    assert.ok(init?.body instanceof FormData);
    return new Response(null, { status: 204 });
  };
  await uploadToS3(FORM, new Blob(["x"]), "a.txt", fetchImpl);
  assert.equal(url, FORM.url);
});

test("uploadToS3 throws S3's refusal in words", async () => {
  const refusing: typeof fetch = async () =>
    new Response(s3Error("EntityTooLarge", "Your proposed upload exceeds the maximum"), {
      status: 400,
    });
  await assert.rejects(uploadToS3(FORM, new Blob(["x"]), "a.txt", refusing), /larger than/);
});
