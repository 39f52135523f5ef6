// The Node build of alor-wasm (CommonJS glue from wasm-bindgen --target nodejs), for the tests.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
export const wasm = require("../../alor-wasm/pkg/nodejs/alor_wasm.js");
