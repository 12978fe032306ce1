//! The environment the tests read: `CI`, and the counts of cases and trials. The one reader of
//! `CI` for every test of the workspace (the build step reads it with the same rules, see
//! `model_core::build::Mode`, and a test there checks the two agree).

/// How a flag variable is read: set and not empty, `0`, `false`, `no` or `off` (any case, blanks
/// around ignored).
///
/// ```
/// assert!(model_testkit::truthy(Some("true")) && model_testkit::truthy(Some("1")));
/// assert!(!model_testkit::truthy(None) && !model_testkit::truthy(Some(" False ")));
/// ```
pub fn truthy(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        !matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no" | "off"
        )
    })
}

/// `true` under CI (`CI` is [`truthy`]), where a test that needs a database must fail rather than
/// skip, and every count must be above zero.
///
/// ```
/// let ci = std::env::var("CI").ok();
/// assert_eq!(model_testkit::under_ci(), model_testkit::truthy(ci.as_deref()));
/// ```
pub fn under_ci() -> bool {
    truthy(std::env::var("CI").ok().as_deref())
}

/// A count read from the variable `var` (property-test cases, trials), `default` when it is not set.
///
/// # Panics
/// When the value is not a whole number (a typo must not run the default silently), and under CI
/// when it is 0: CI must not pass by running nothing.
///
/// ```
/// // a variable nobody sets: the default
/// assert_eq!(model_testkit::count("MODEL_TESTKIT_DOC_NEVER_SET", 16), 16);
/// ```
pub fn count(var: &str, default: u32) -> u32 {
    let n = match std::env::var(var) {
        Ok(v) => v
            .trim()
            .parse::<u32>()
            .unwrap_or_else(|_| panic!("{var}={v:?} is not a whole number")),
        Err(_) => default,
    };
    assert!(
        n > 0 || !under_ci(),
        "{var} is 0 under CI: CI must run the test (.ci/run pins {var})"
    );
    n
}

#[cfg(test)]
mod tests {
    use super::truthy;

    #[test]
    fn flags() {
        for yes in ["true", "1", "yes", "TRUE", " on ", "anything"] {
            assert!(truthy(Some(yes)), "{yes:?}");
        }
        for no in ["", " ", "0", "false", "FALSE", "no", "off", " Off "] {
            assert!(!truthy(Some(no)), "{no:?}");
        }
        assert!(!truthy(None));
    }
}
