//! Branches of the migration history at run time: a pending migration older than the newest applied
//! one runs only when a merge brings it in (see [`crate::graph::check_order`]).

use super::script::Script;
use super::Error;
use crate::graph::{check_order, Header, Pending};
use std::collections::{BTreeSet, HashSet};

/// Refuse, before anything runs, the pending migrations among `scripts[..upto]` that sort before
/// the newest applied one and that no merge (applied, or among those about to run) brings in; log
/// the others at `info`.
pub(super) fn check(scripts: &[Script], applied: &HashSet<String>, upto: usize) -> Result<(), Error> {
    let pending: Vec<Pending> = scripts
        .iter()
        .map(|s| Pending {
            version: &s.version,
            name: &s.name,
            header: Header::parse(&s.up),
        })
        .collect();
    let applied: BTreeSet<String> = applied.iter().cloned().collect();
    match check_order(&pending, &applied, upto) {
        Ok(late) => {
            for l in late {
                log::info!(
                    "migration {} (`{}`) runs after newer ones that are applied: it is on a branch merged at `{}`, \
                     which checked that the branches change different objects",
                    l.version,
                    l.name,
                    l.merge
                );
            }
            Ok(())
        }
        Err(refused) => Err(Error::OutOfOrder {
            migrations: refused.migrations,
            newest: refused.newest,
            newest_name: refused.newest_name,
        }),
    }
}

/// Whether an applied migration whose text changed looks like a draft the build step rewrote: the
/// newest migration of the source, written by the build step (it has a header and is no merge).
pub(super) fn looks_like_rewritten_draft(scripts: &[Script], script: &Script) -> bool {
    scripts.last().is_some_and(|last| last.version == script.version)
        && matches!(Header::parse(&script.up), Some(Header::Generated { .. }))
}
