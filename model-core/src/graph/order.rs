//! The runtime's rule for pending migrations older than the newest applied one.

use super::Header;
use std::collections::BTreeSet;

/// One migration of the source, as the runtime sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending<'a> {
    /// Its version.
    pub version: &'a str,
    /// Its folder name.
    pub name: &'a str,
    /// The header of its `up.sql`, if any.
    pub header: Option<Header>,
}

/// A pending migration older than the newest applied one, allowed because a merge that is applied
/// or about to be brought it together with the applied branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfOrder {
    /// Its version.
    pub version: String,
    /// Its folder name.
    pub name: String,
    /// The merge migration that brought it in (folder name).
    pub merge: String,
}

/// Pending migrations older than the newest applied one that no applied or pending merge brings
/// in: they were made on a branch that was never merged with a build (or dated in the past).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// `(version, folder name)` of each, in version order.
    pub migrations: Vec<(String, String)>,
    /// The newest applied version.
    pub newest: String,
    /// Its folder name, when the source has it.
    pub newest_name: Option<String>,
}

/// Which of the pending migrations among `scripts[..upto]` (every migration of the source, in
/// version order) sort before the newest of `applied` (versions), and whether each may run: only
/// when a merge among the applied migrations or those about to run (`scripts[..upto]`) names it
/// in its header. Pure: the runtime calls it before running anything.
///
/// ```
/// use model_core::graph::{check_order, Branch, Header, Pending};
/// let merge = Header::Merge { branches: vec![
///     Branch { head: "2026-01-02-000000_a".into(), migrations: vec!["2026-01-02-000000_a".into()] },
///     Branch { head: "2026-01-03-000000_b".into(), migrations: vec!["2026-01-03-000000_b".into()] },
/// ]};
/// let scripts = [
///     Pending { version: "20260102000000", name: "2026-01-02-000000_a", header: None },
///     Pending { version: "20260103000000", name: "2026-01-03-000000_b", header: None },
///     Pending { version: "20260104000000", name: "2026-01-04-000000_merge", header: Some(merge) },
/// ];
/// let applied = ["20260103000000".to_string()].into_iter().collect();
/// let late = check_order(&scripts, &applied, 3).unwrap();
/// assert_eq!(late[0].merge, "2026-01-04-000000_merge");
/// // without the merge, `a` is refused by name
/// let refused = check_order(&scripts[..2], &applied, 2).unwrap_err();
/// assert_eq!(refused.migrations[0].1, "2026-01-02-000000_a");
/// ```
///
/// # Errors
///
/// [`Refused`] naming every pending migration that may not run.
pub fn check_order(scripts: &[Pending], applied: &BTreeSet<String>, upto: usize) -> Result<Vec<OutOfOrder>, Refused> {
    let Some(newest) = applied.iter().next_back() else {
        return Ok(Vec::new());
    };
    let upto = upto.min(scripts.len());
    let late: Vec<&Pending> = scripts[..upto]
        .iter()
        .filter(|s| !applied.contains(s.version) && s.version < newest.as_str())
        .collect();
    if late.is_empty() {
        return Ok(Vec::new());
    }
    let merges: Vec<(&Pending, BTreeSet<String>)> = scripts
        .iter()
        .enumerate()
        .filter(|(i, s)| applied.contains(s.version) || *i < upto)
        .filter_map(|(_, s)| match &s.header {
            Some(h @ Header::Merge { .. }) => Some((s, h.merged_versions())),
            _ => None,
        })
        .collect();
    let mut allowed = Vec::new();
    let mut refused = Vec::new();
    for s in late {
        match merges.iter().find(|(_, members)| members.contains(s.version)) {
            Some((m, _)) => allowed.push(OutOfOrder {
                version: s.version.to_string(),
                name: s.name.to_string(),
                merge: m.name.to_string(),
            }),
            None => refused.push((s.version.to_string(), s.name.to_string())),
        }
    }
    if refused.is_empty() {
        Ok(allowed)
    } else {
        Err(Refused {
            migrations: refused,
            newest: newest.clone(),
            newest_name: scripts
                .iter()
                .find(|s| s.version == newest.as_str())
                .map(|s| s.name.to_string()),
        })
    }
}
