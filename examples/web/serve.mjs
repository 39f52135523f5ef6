// A tiny static server for the example: examples/web at /, the wasm packages (--target web) at
// /pkg/ (the pages load alor_check.js, the page module).
//   node examples/web/serve.mjs [port]      (127.0.0.1 only; port 0 picks a free one)
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const roots = [["/pkg/", join(here, "../../alor-wasm/pkg/web")], ["/", here]];
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json", ".wasm": "application/wasm" };

/** Serves the example; `extra` adds `[prefix, directory]` roots (the tests serve tests/ too). */
export function serve(port = 0, extra = []) {
  const mounted = [...extra, ...roots];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const [prefix, root] = mounted.find(([p]) => path.startsWith(p));
    let rel = normalize(path.slice(prefix.length));
    if (rel.startsWith("..")) { res.writeHead(403).end(); return; }
    if (rel === "." || rel === "") rel = "index.html";
    try {
      const body = await readFile(join(root, rel));
      res.writeHead(200, { "content-type": TYPES[extname(rel)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve(Number(process.argv[2] ?? 8080));
  console.log(`http://127.0.0.1:${server.address().port}/  (overview: /overview.html)`);
}
