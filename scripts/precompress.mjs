// Writes .br and .gz next to every compressible file of the built site, so the server can send
// them as they are (ServeDir::precompressed_br / _gzip). Usage: node scripts/precompress.mjs DIR
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join, extname } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dir = process.argv[2] ?? "target/site/pkg";
const exts = new Set([".js", ".wasm", ".css", ".json", ".svg", ".html"]);
let n = 0;
for (const name of readdirSync(dir)) {
  const p = join(dir, name);
  if (!statSync(p).isFile() || !exts.has(extname(name))) continue;
  const data = readFileSync(p);
  writeFileSync(p + ".br", brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
  writeFileSync(p + ".gz", gzipSync(data, { level: 9 }));
  n++;
}
console.log(`precompressed ${n} files in ${dir}`);
