// TOTP codes (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps) for the scripts and browser tests
// that sign in as the demo's admin or approver, whose second factor is public like their password.
import { createHmac } from "node:crypto";

/** The demo's TOTP secret (base32), as `seed::DEMO_TOTP_SECRET`. */
export const DEMO_TOTP_SECRET = process.env.TONGBAN_DEMO_TOTP_SECRET ?? "TONGBANDEMOSECRETFORSTAFFSIGNINS";

function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of text.replace(/[\s=]/g, "").toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    bits += v.toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The code an authenticator app shows for `secret` at `unix` seconds (now by default). */
export function totp(secret = DEMO_TOTP_SECRET, unix = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unix / 30)));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const at = mac[mac.length - 1] & 0x0f;
  const n = (mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, "0");
}

/** Milliseconds until the next step has begun (a moment after). */
export function untilNextStep() {
  return 30_000 - (Date.now() % 30_000) + 300;
}
