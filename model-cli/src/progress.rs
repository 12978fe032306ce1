//! Progress of long runs: the runtime logs each migration through `log` as it starts and ends (with
//! its time) and while it waits for the migration lock; this logger prints those lines as they come,
//! on standard output (warnings and errors on standard error).

use log::{Level, LevelFilter, Log, Metadata, Record};
use std::io::Write;

struct Progress;

static LOGGER: Progress = Progress;

impl Log for Progress {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= Level::Info && metadata.target().starts_with("model_core")
    }

    fn log(&self, record: &Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        if record.level() <= Level::Warn {
            eprintln!("{}: {}", record.level().as_str().to_ascii_lowercase(), record.args());
        } else {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", record.args());
            let _ = out.flush();
        }
    }

    fn flush(&self) {
        let _ = std::io::stdout().flush();
    }
}

/// Print the runtime's progress lines from now on (once per process; later calls do nothing).
pub fn show() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(LevelFilter::Info);
    }
}

/// Print only the runtime's warnings and errors (many tenants at once: the progress bar says the rest).
pub fn show_warnings() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(LevelFilter::Warn);
    }
}
