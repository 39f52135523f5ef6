//! The demo season (alor Rogaland, autumn 2026) for the web example's data build
//! (`examples/web/build-data.mjs`, run by `scripts/test-wasm`):
//!
//! ```text
//! cargo run -p alor-wasm --example demo_season -- [UNTIL]    # the event log, played to UNTIL
//! cargo run -p alor-wasm --example demo_season -- --network  # the network holding it
//! ```
//!
//! The season is played by `alor_demo::play`, the one loop every surface uses (each step at
//! its instant, holds expiring on time, every refusal the one the season expects); this prints
//! the played journal's event log JSON, which the wasm `Ledger.fromEventLogJson` reads. UNTIL is
//! an RFC 3339 instant; without it, the whole season.
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        // Written rather than `println!`ed: a closed pipe is a failure to report, not a panic.
        Ok(json) => match writeln!(std::io::stdout(), "{json}") {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("demo_season: cannot write the output: {e}");
                ExitCode::FAILURE
            }
        },
        Err(message) => {
            eprintln!("demo_season: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<String, String> {
    let season = alor_demo::rogaland_autumn_season();
    let until = match args.as_slice() {
        [] => None,
        [flag] if flag == "--network" => {
            return serde_json::to_string(&season.network)
                .map_err(|e| format!("the demo network does not serialise: {e}"));
        }
        [instant] => Some(
            alor_core::time::parse_rfc3339(instant)
                .ok_or_else(|| format!("{instant:?} is not an RFC 3339 instant with an offset"))?,
        ),
        _ => return Err("usage: demo_season [UNTIL | --network]".into()),
    };
    let played = alor_demo::play(&season, until).map_err(|e| e.to_string())?;
    if !(played.replay_matches && played.snapshot_round_trips) {
        return Err("the played season does not rebuild from its log and snapshot".into());
    }
    played.player.journal().to_json().map_err(|e| e.to_string())
}
