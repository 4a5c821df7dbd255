// Renames the bundle in DIR to content-hashed names — tongban.js → tongban.<h>.js, tongban_bg.wasm →
// tongban.<h>.wasm, tongban.css → tongban.<h>.css — and writes the hashes to HASH_FILE in the
// format the server reads (`js: <h>` …, as cargo-leptos writes it). A hash is the first 16 bytes
// of the file's SHA-256, base64url. Usage: node scripts/hash-site.mjs DIR HASH_FILE
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";

const [dir, hashFile] = process.argv.slice(2);
const files = { js: "tongban.js", wasm: "tongban_bg.wasm", css: "tongban.css" };
const lines = [];
for (const [kind, name] of Object.entries(files)) {
  const h = createHash("sha256").update(readFileSync(join(dir, name))).digest().subarray(0, 16).toString("base64url");
  renameSync(join(dir, name), join(dir, `tongban.${h}.${kind}`));
  lines.push(`${kind}: ${h}`);
}
writeFileSync(hashFile, lines.join("\n") + "\n");
console.log(lines.join(" · "));
