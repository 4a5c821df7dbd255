// Renames the bundles in DIR to content-hashed names — tongban[-B].js → tongban[-B].<h>.js,
// tongban[-B]_bg.wasm → tongban[-B].<h>.wasm, tongban.css → tongban.<h>.css — and writes the
// hashes to HASH_FILE in the format the server reads (`css: <h>`, as cargo-leptos writes it; `js: <h>`
// and `wasm: <h>` for the one bundle of a development build, `js-B: <h>` and `wasm-B: <h>` for each
// bundle B of the release build). A hash is the first 16 bytes of the file's SHA-256, base64url.
// Usage: node scripts/hash-site.mjs DIR HASH_FILE
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";

const [dir, hashFile] = process.argv.slice(2);
const lines = [];
for (const name of readdirSync(dir).sort()) {
  const m = name.match(/^tongban(?:-([a-z]+))?(?:(\.js)|(_bg\.wasm)|(\.css))$/);
  if (!m) continue;
  const kind = m[2] ? "js" : m[3] ? "wasm" : "css";
  const h = createHash("sha256").update(readFileSync(join(dir, name))).digest().subarray(0, 16).toString("base64url");
  const stem = m[1] ? `tongban-${m[1]}` : "tongban";
  renameSync(join(dir, name), join(dir, `${stem}.${h}.${kind === "wasm" ? "wasm" : kind}`));
  lines.push(`${m[1] && kind !== "css" ? `${kind}-${m[1]}` : kind}: ${h}`);
}
writeFileSync(hashFile, lines.join("\n") + "\n");
console.log(lines.join(" · "));
