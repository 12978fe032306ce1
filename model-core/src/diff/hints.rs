//! Match new tables (or columns) with old ones by name, else by their `renamed_from` hint.

use std::collections::{HashMap, HashSet};

/// What one new item is, relative to the old items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// The old item at this position, same name.
    Same(usize),
    /// The old item at this position, renamed.
    Renamed(usize),
    /// Nothing old: created.
    New,
}

/// Two new items claim the same old name: `(old name, first claimant, second claimant)`.
pub(super) type DoubleClaim = (String, String, String);

/// The origin of each new item `(name, renamed_from)`, in order.
///
/// An item whose name is an old name is that item (a hint left in place is a no-op). Otherwise
/// its hint counts when the hinted name is an old name that no new item still has; a hint
/// pointing at nothing makes a new item. Two items claiming one old name are an error.
///
/// Linear in the number of items (name look-ups through hash maps, first position wins).
pub(super) fn origins(old: &[&str], new: &[(&str, Option<&str>)]) -> Result<Vec<Origin>, DoubleClaim> {
    let mut old_at: HashMap<&str, usize> = HashMap::with_capacity(old.len());
    for (i, o) in old.iter().enumerate() {
        old_at.entry(*o).or_insert(i);
    }
    let new_names: HashSet<&str> = new.iter().map(|(n, _)| *n).collect();
    let mut claimed: Vec<Option<&str>> = vec![None; old.len()];
    let mut out = Vec::with_capacity(new.len());
    for (name, hint) in new {
        if let Some(&i) = old_at.get(name) {
            out.push(Origin::Same(i));
            continue;
        }
        let target = hint.filter(|h| !new_names.contains(h));
        let Some(i) = target.and_then(|h| old_at.get(h).copied()) else {
            out.push(Origin::New);
            continue;
        };
        if let Some(first) = claimed[i] {
            return Err((old[i].to_string(), first.to_string(), name.to_string()));
        }
        claimed[i] = Some(name);
        out.push(Origin::Renamed(i));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{origins, Origin::*};

    #[test]
    fn by_name_then_by_hint() {
        let got = origins(&["a", "b"], &[("a", None), ("c", Some("b")), ("d", Some("zz"))]);
        assert_eq!(got, Ok(vec![Same(0), Renamed(1), New]));
    }

    #[test]
    fn a_hint_left_in_place_is_a_no_op() {
        assert_eq!(origins(&["a"], &[("a", Some("old"))]), Ok(vec![Same(0)]));
    }

    #[test]
    fn a_hint_to_a_name_still_in_use_is_a_no_op() {
        assert_eq!(
            origins(&["a"], &[("a", None), ("b", Some("a"))]),
            Ok(vec![Same(0), New])
        );
    }

    #[test]
    fn two_claims_are_an_error() {
        let got = origins(&["a"], &[("b", Some("a")), ("c", Some("a"))]);
        assert_eq!(got, Err(("a".into(), "b".into(), "c".into())));
    }
}
