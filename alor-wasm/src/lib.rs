//! WebAssembly bindings (see issue 4).
