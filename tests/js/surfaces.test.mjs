// The surface manifest, tests/surfaces.json: every operation of the public API with its Python
// and its JS name, and for one that exists on one surface only, why (see tests/README.md). This
// side holds the full module to it: a public export, or a Ledger/Checker method, static or
// getter, that the manifest does not name fails, and so does a JS name in the manifest that the
// module lacks. (The Python tests hold the `alor` package to the same file.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { wasm, page } from "./wasm.mjs";

const manifest = JSON.parse(readFileSync(new URL("../surfaces.json", import.meta.url), "utf8"));
const CLASSES = ["Ledger", "Checker"];

/** What wasm-bindgen adds to every module and class, not part of our API. */
const generated = (name) => name.startsWith("__") || ["initSync", "default"].includes(name);

/** The JS names the full module offers: exports, and for classes `Class.member` (statics too). */
function jsSurface(module) {
  const names = [];
  for (const name of Object.keys(module)) {
    if (generated(name)) continue;
    names.push(name);
    if (!CLASSES.includes(name)) continue;
    const cls = module[name];
    for (const member of Object.getOwnPropertyNames(cls.prototype)) {
      if (member !== "constructor" && !generated(member)) names.push(`${name}.${member}`);
    }
    for (const member of Object.getOwnPropertyNames(cls)) {
      if (!["length", "name", "prototype"].includes(member) && !generated(member)) names.push(`${name}.${member}`);
    }
  }
  return names.sort();
}

const snakeToCamel = (s) => s.toLowerCase().replace(/_([a-z])/g, (_, c) => c.toUpperCase());

test("the manifest is well-formed", () => {
  assert.ok(Array.isArray(manifest) && manifest.length > 0);
  const ops = new Set();
  for (const entry of manifest) {
    const what = JSON.stringify(entry);
    for (const key of Object.keys(entry)) {
      assert.ok(["op", "python", "js", "only", "why"].includes(key), `${what}: unknown key ${key}`);
    }
    assert.match(entry.op, /^[a-z][a-z0-9_]*$/, `${what}: op is snake_case`);
    assert.ok(!ops.has(entry.op), `${what}: op named twice`);
    ops.add(entry.op);
    for (const side of ["python", "js"]) {
      assert.ok(entry[side] === null || typeof entry[side] === "string", `${what}: ${side} is a name or null`);
    }
    if ("only" in entry) {
      assert.ok(["python", "js"].includes(entry.only), `${what}: only is "python" or "js"`);
      const other = entry.only === "python" ? "js" : "python";
      assert.equal(entry[other], null, `${what}: only ${entry.only}, so no ${other} name`);
      assert.equal(typeof entry[entry.only], "string", `${what}: the ${entry.only} name`);
      assert.ok(typeof entry.why === "string" && entry.why.trim().length > 20, `${what}: why it is on one surface only`);
    } else {
      assert.ok(entry.python && entry.js, `${what}: both names, or "only" and "why"`);
      assert.ok(!("why" in entry), `${what}: why is for one-surface operations`);
    }
  }
  const js = manifest.map((e) => e.js).filter(Boolean);
  const python = manifest.map((e) => e.python).filter(Boolean);
  assert.equal(new Set(js).size, js.length, "a JS name appears twice");
  assert.equal(new Set(python).size, python.length, "a Python name appears twice");
});

test("the names follow one rule: snake_case in Python, camelCase in JS", () => {
  for (const { python, js } of manifest) {
    if (!python || !js) continue;
    const [p, j] = [python.split(".").at(-1), js.split(".").at(-1)];
    // Classes keep their name; functions, methods and constants (SCHEMA_VERSION) are camelCased.
    const want = /^[A-Z][a-z]/.test(p) ? p : snakeToCamel(p);
    assert.equal(j, want, `${python} is ${js} in JS`);
    assert.equal(python.split(".").length, js.split(".").length, `${python} and ${js} sit at the same level`);
  }
});

test("every public JS operation of the full module is in the manifest, and every one named exists", () => {
  const actual = jsSurface(wasm);
  const named = manifest.map((e) => e.js).filter(Boolean).sort();
  assert.deepEqual(actual.filter((n) => !named.includes(n)), [], "public in JS but not in tests/surfaces.json");
  assert.deepEqual(named.filter((n) => !actual.includes(n)), [], "in tests/surfaces.json but not in the full module");
});

test("the page module's operations are the full module's, and in the manifest", () => {
  const full = jsSurface(wasm);
  for (const name of jsSurface(page)) assert.ok(full.includes(name), `${name} is in the page module only`);
});

test("the surface check notices a missing and an unlisted operation", () => {
  const named = new Set(manifest.map((e) => e.js).filter(Boolean));
  const fake = { ...wasm, extraExport() {} };
  assert.ok(jsSurface(fake).some((n) => !named.has(n)), "an export not in the manifest is found");
  const without = Object.fromEntries(Object.entries(wasm).filter(([k]) => k !== "locales"));
  assert.ok([...named].some((n) => !jsSurface(without).includes(n)), "a missing export is found");
});
