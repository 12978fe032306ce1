/// What the build step does with a model change (`MODEL_MIGRATIONS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write a new migration when the models changed (default outside CI).
    Write,
    /// Fail the build when the models changed and no migration records it; write nothing
    /// (default when `CI` is set), like `alembic check`.
    Check,
    /// Do not look at migrations at all (the schema file is still generated).
    Off,
}

impl Mode {
    /// Read `MODEL_MIGRATIONS` (`write` | `check` | `off`); unset means `check` when `CI` is set
    /// (to anything but an empty value, `0`, `false`, `no` or `off`), else `write`.
    pub fn from_env_values(model_migrations: Option<&str>, ci: Option<&str>) -> Result<Mode, super::BuildError> {
        match model_migrations.map(str::trim) {
            None | Some("") => Ok(if is_true(ci) { Mode::Check } else { Mode::Write }),
            Some("write") => Ok(Mode::Write),
            Some("check") => Ok(Mode::Check),
            Some("off") => Ok(Mode::Off),
            Some(other) => Err(super::BuildError::Env {
                var: "MODEL_MIGRATIONS",
                value: other.to_string(),
                expected: "write, check, off",
            }),
        }
    }
}

/// `true` for a set variable that is not empty, `0`, `false`, `no` or `off` (any case, blanks around
/// ignored): how the build step and the `model` CLI read `CI` and `MODEL_ALLOW_DATA_LOSS`.
///
/// ```
/// use model_core::build::is_true;
/// assert!(is_true(Some("true")) && is_true(Some("1")));
/// assert!(!is_true(None) && !is_true(Some("")) && !is_true(Some(" False ")) && !is_true(Some("off")));
/// ```
pub fn is_true(v: Option<&str>) -> bool {
    v.is_some_and(|v| {
        !matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no" | "off"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::{is_true, Mode};

    /// The build step and the tests read `CI` alike: a CI run that the tests see as CI checks the
    /// migrations, and the other way round.
    #[test]
    fn ci_is_read_as_the_tests_read_it() {
        let values = [
            None,
            Some(""),
            Some(" "),
            Some("0"),
            Some("1"),
            Some("true"),
            Some("TRUE"),
            Some("false"),
            Some(" False "),
            Some("no"),
            Some("yes"),
            Some("off"),
            Some("on"),
            Some("github"),
        ];
        for v in values {
            assert_eq!(is_true(v), model_testkit::truthy(v), "CI={v:?}");
            let expected = if model_testkit::truthy(v) {
                Mode::Check
            } else {
                Mode::Write
            };
            assert_eq!(Mode::from_env_values(None, v).unwrap(), expected, "CI={v:?}");
        }
    }

    #[test]
    fn defaults_and_values() {
        assert_eq!(Mode::from_env_values(None, None).unwrap(), Mode::Write);
        assert_eq!(Mode::from_env_values(None, Some("true")).unwrap(), Mode::Check);
        assert_eq!(Mode::from_env_values(None, Some("false")).unwrap(), Mode::Write);
        assert_eq!(Mode::from_env_values(Some("write"), Some("true")).unwrap(), Mode::Write);
        assert_eq!(Mode::from_env_values(Some("off"), None).unwrap(), Mode::Off);
        let e = Mode::from_env_values(Some("always"), None).unwrap_err().to_string();
        assert!(
            e.contains("MODEL_MIGRATIONS=always") && e.contains("write, check, off"),
            "{e}"
        );
    }
}
