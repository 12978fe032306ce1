//! Test support: feed SQL scripts to the database shells (`psql`, `sqlite3`, `mysql`).

/// A run test whose tool or server is missing is skipped with a note, except under CI
/// (`model_testkit::under_ci`), where it fails: CI must not pass by skipping.
pub(crate) fn skip(why: &str) {
    assert!(!model_testkit::under_ci(), "{why}: required under CI");
    eprintln!("{why}: skipping");
}

/// Feed `script` to a database shell. `Ok(None)` when the program is missing (skipped, see [`skip`]);
/// `Err` with stderr and the script when the shell fails or reports anything on stderr.
pub(crate) fn shell(program: &str, args: &[&str], script: &str) -> Result<Option<String>, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        skip(&format!("{program} not found"));
        return Ok(None);
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(script.as_bytes()).map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() || !stderr.is_empty() {
        return Err(format!("{stderr}\n--- script:\n{script}"));
    }
    Ok(Some(String::from_utf8_lossy(&out.stdout).into_owned()))
}
