//! Prints the demo season (alor Rogaland, autumn 2026) as JSON, for the web example's data build
//! (`examples/web/build-data.mjs` replays it through the wasm `Ledger`).
fn main() {
    let season = alor_demo::rogaland_autumn_season();
    match serde_json::to_string(&season) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("the demo season does not serialise: {e}");
            std::process::exit(1);
        }
    }
}
