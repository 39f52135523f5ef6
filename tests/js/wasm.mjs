// The Node builds (CommonJS glue from wasm-bindgen --target nodejs), for the tests: `wasm`, the
// full module (checks + Ledger), and `page`, the page module (alor-wasm/alor-check: checks only).
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
export const wasm = require("../../alor-wasm/pkg/nodejs/alor_wasm.js");
export const page = require("../../alor-wasm/pkg/nodejs/alor_check.js");
