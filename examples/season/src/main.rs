//! README command one (`./scripts/main`): plays alor Rogaland's autumn season through a
//! registration host and prints the account.

use std::process::ExitCode;

fn main() -> ExitCode {
    let season = alor_demo::rogaland_autumn_season();
    match alor_demo::play(&season, None) {
        Ok(run) => {
            print!("{}", alor_season::account(&season, &run));
            if run.replay_matches && run.snapshot_round_trips {
                ExitCode::SUCCESS
            } else {
                eprintln!("error: the stored events or snapshot do not rebuild the live ledger");
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!(
                "error: the season could not be played: {error} ({})",
                error.code()
            );
            ExitCode::FAILURE
        }
    }
}
