// The web container's entry point: runs Next's standalone server.js, and with SERVE_TLS=true
// (the task definition; the ALB's target protocol is HTTPS) puts TLS in front of it.
//
// Next's standalone server speaks only HTTP, so with TLS it listens on 127.0.0.1:PORT+1 and this
// process terminates TLS on PORT, relaying bytes (X-Forwarded-For from the ALB passes through).
// The key (P-256) and the self-signed certificate are made at start and kept in memory: the ALB
// does not validate target certificates (docs/decisions/service-tls-to-tasks.md). Node's crypto
// signs but builds no X.509, hence the few DER helpers below. Without SERVE_TLS it only runs
// server.js on PORT (local runs).
import { spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { hostname } from "node:os";
import net from "node:net";
import tls from "node:tls";

const VALIDITY_DAYS = 365; // longer than a task lives; the ALB does not check it anyway

/** One DER element: tag, definite length, body. */
function der(tag, body) {
  if (body.length < 0x80) return Buffer.concat([Buffer.from([tag, body.length]), body]);
  const length = [];
  for (let n = body.length; n > 0; n >>= 8) length.unshift(n & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | length.length, ...length]), body]);
}

const sequence = (...items) => der(0x30, Buffer.concat(items));

function objectId(dotted) {
  const [first, second, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * first + second];
  for (const value of rest) {
    const groups = [];
    for (let v = value; ; v = Math.floor(v / 128)) {
      groups.unshift(v % 128);
      if (v < 128) break;
    }
    bytes.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return der(0x06, Buffer.from(bytes));
}

// UTCTime YYMMDDHHMMSSZ (valid to 2049).
const utcTime = (date) =>
  der(0x17, Buffer.from(`${date.toISOString().replace(/[-:T]/g, "").slice(2, 14)}Z`));

const commonName = (name) =>
  sequence(der(0x31, sequence(objectId("2.5.4.3"), der(0x0c, Buffer.from(name)))));

/** A new P-256 key and a self-signed ECDSA-SHA256 certificate for ``name``, both PEM. */
function selfSignedCertificate(name, now = new Date()) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // a positive INTEGER
  serial[0] |= 0x40; // with no leading zero byte to strip
  const algorithm = sequence(objectId("1.2.840.10045.4.3.2")); // ecdsa-with-SHA256
  const notBefore = new Date(now.getTime() - 5 * 60 * 1000);
  const notAfter = new Date(now.getTime() + VALIDITY_DAYS * 24 * 60 * 60 * 1000);
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))), // version 3
    der(0x02, serial),
    algorithm,
    commonName(name),
    sequence(utcTime(notBefore), utcTime(notAfter)),
    commonName(name),
    publicKey.export({ type: "spki", format: "der" }),
  );
  const signature = sign("sha256", tbs, privateKey); // DER-encoded ECDSA signature
  const certificate = sequence(tbs, algorithm, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const lines = certificate.toString("base64").match(/.{1,64}/g).join("\n");
  return {
    key: privateKey.export({ type: "pkcs8", format: "pem" }),
    cert: `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`,
  };
}

/** Relay each TLS connection on ``port`` to the HTTP server on 127.0.0.1:``upstream``. */
function tlsFront(port, upstream) {
  const server = tls.createServer(
    { ...selfSignedCertificate(hostname()), minVersion: "TLSv1.2", ciphers: "ECDHE+AESGCM" },
    (client) => {
      const backend = net.connect(upstream, "127.0.0.1");
      client.pipe(backend).pipe(client);
      client.on("error", () => backend.destroy());
      backend.on("error", () => client.destroy());
    },
  );
  server.listen(port, "0.0.0.0");
  return server;
}

function main() {
  const port = Number(process.env.PORT ?? "3000");
  const serveTls = process.env.SERVE_TLS === "true";
  const env = serveTls ? { ...process.env, PORT: String(port + 1), HOSTNAME: "127.0.0.1" } : process.env;
  const next = spawn(process.execPath, ["server.js"], { env, stdio: "inherit" });
  const front = serveTls ? tlsFront(port, port + 1) : null;
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => {
      front?.close();
      next.kill(signal);
    });
  }
  next.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

main();
