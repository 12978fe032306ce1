//! SVG through Graphviz: the DOT text piped into `dot -Tsvg`.

use crate::error::CliError;
use std::io::Write;
use std::process::{Command, Stdio};

/// The program run, `dot` from `PATH`.
const DOT: &str = "dot";

/// Render DOT text to SVG with Graphviz. Without `dot` on `PATH` the error says to install Graphviz
/// or to ask for `--format dot`.
pub fn render_svg(dot_text: &str) -> Result<String, CliError> {
    let mut child = match Command::new(DOT)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(CliError::GraphvizMissing),
        Err(e) => return Err(CliError::Graphviz(format!("cannot start `{DOT}`: {e}"))),
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot_text.as_bytes())
            .map_err(|e| CliError::Graphviz(format!("cannot write to `{DOT}`: {e}")))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| CliError::Graphviz(format!("`{DOT}` did not finish: {e}")))?;
    if !out.status.success() {
        return Err(CliError::Graphviz(format!(
            "`{DOT} -Tsvg` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    String::from_utf8(out.stdout).map_err(|_| CliError::Graphviz(format!("`{DOT} -Tsvg` wrote text that is not UTF-8")))
}
