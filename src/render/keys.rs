//! Unit keys: the fingerprint of everything a unit is rendered from.
//!
//! A unit's input is serialised into a running hash, so no dependency can be
//! left out by hand. An update is fingerprinted once per build, however many
//! units read it: a region's key and the overview's hold their updates'
//! fingerprints rather than the updates' text again (a site's updates were
//! serialised three times, for their own units, their regions' and the
//! overview's: 47 MB for 10 000 updates, then 18 MB).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Serialize, Serializer};

use super::{Tree, Unit, UnitInput};
use crate::derive::DerivedUpdate;

/// The fingerprint of `value` serialised.
fn fingerprint(value: &impl Serialize) -> u64 {
    let mut h = crate::Fingerprint::default();
    // Serialising plain data to a writer that cannot fail cannot fail.
    let _ = serde_json::to_writer(&mut h, value);
    h.finish()
}

/// Every unit's input key (see [`UnitInput::key`]), in the order of
/// `units`, made in parallel with each update of `trees` fingerprinted
/// once for all of them.
pub fn of_units(trees: &[Tree], units: &[Unit]) -> Vec<u64> {
    // The table lives only for this call, while the trees (and so every
    // update at its address) are borrowed: no address can be reused.
    let prints = UpdatePrints::of(trees);
    units
        .par_iter()
        .map(|u| u.input.key_with(Some(&prints)))
        .collect()
}

/// The fingerprints of the updates of a build's trees, by address: made
/// once, in parallel, and read by every key of the build. Valid only while
/// the trees it was made from are borrowed (which [`of_units`] ensures).
struct UpdatePrints(HashMap<usize, u64>);

impl UpdatePrints {
    fn of(trees: &[Tree]) -> Arc<UpdatePrints> {
        let updates: Vec<&DerivedUpdate> = trees
            .iter()
            .flat_map(|t| &t.model.regions)
            .flat_map(|r| &r.updates)
            .collect();
        let prints = updates
            .par_iter()
            .map(|d| (address(d), fingerprint(*d)))
            .collect();
        Arc::new(UpdatePrints(prints))
    }
}

fn address(d: &DerivedUpdate) -> usize {
    std::ptr::from_ref(d) as usize
}

thread_local! {
    /// Whether this thread is serialising a unit's input for its key.
    static KEYING: Cell<bool> = const { Cell::new(false) };
    /// The build's update fingerprints, while this thread makes a key.
    static PRINTS: RefCell<Option<Arc<UpdatePrints>>> = const { RefCell::new(None) };
}

/// An update's fingerprint: from the build's table when it has it, made
/// now otherwise (the preview keys one unit at a time, without a table).
fn print_of(d: &DerivedUpdate) -> u64 {
    let known = PRINTS.with_borrow(|p| p.as_ref().and_then(|p| p.0.get(&address(d)).copied()));
    known.unwrap_or_else(|| {
        #[cfg(test)]
        tests::MADE_NOW.set(tests::MADE_NOW.get() + 1);
        fingerprint(d)
    })
}

/// How an input's update is serialised: itself for templates and open
/// data, its fingerprint for a key (`serialize_with` of the fields that
/// hold updates).
pub fn update<S: Serializer>(d: &&DerivedUpdate, s: S) -> Result<S::Ok, S::Error> {
    if KEYING.get() {
        s.serialize_u64(print_of(d))
    } else {
        d.serialize(s)
    }
}

/// [`update`] for a list of updates.
pub fn updates<S: Serializer>(list: &[DerivedUpdate], s: S) -> Result<S::Ok, S::Error> {
    if KEYING.get() {
        s.collect_seq(list.iter().map(print_of))
    } else {
        list.serialize(s)
    }
}

/// Resets the keying state of a thread even if serialising panics.
struct Keying;

impl Drop for Keying {
    fn drop(&mut self) {
        KEYING.set(false);
        PRINTS.set(None);
    }
}

impl UnitInput<'_> {
    /// The unit's cache key: a fingerprint of everything it is rendered
    /// from (with the theme, options and relance version, which the cache
    /// records once for all units). [`of_units`] makes the same keys for a
    /// whole build, faster.
    pub fn key(&self) -> u64 {
        self.key_with(None)
    }

    /// [`UnitInput::key`], reading updates' fingerprints from `prints` when
    /// it has them: the key is the same with or without it.
    fn key_with(&self, prints: Option<&Arc<UpdatePrints>>) -> u64 {
        let _reset = Keying;
        KEYING.set(true);
        PRINTS.set(prints.cloned());
        fingerprint(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{Options, prepare};

    thread_local! {
        /// Update fingerprints made while a key was made (not read from a
        /// table), on this thread.
        pub(super) static MADE_NOW: Cell<usize> = const { Cell::new(0) };
    }

    /// The table only saves work: every unit's key is the same with and
    /// without it; and a region's key and the overview's follow an edit of
    /// any one of their updates, through its fingerprint.
    #[test]
    fn keys_are_the_same_with_or_without_the_table_and_follow_each_update() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        crate::synthetic::generate(&content, 3, 4, "fr").unwrap();
        let mut opts = Options::new(&content);
        opts.templates = None;
        opts.locales = None;
        opts.now = Some(2_000_000_000);
        let prepared = prepare(&opts).unwrap();
        let trees = prepared.trees();
        let units = super::super::units(&trees);
        let prints = UpdatePrints::of(&trees);
        assert_eq!(prints.0.len(), 12);
        let keys = |table: Option<&Arc<UpdatePrints>>| -> Vec<u64> {
            units.iter().map(|u| u.input.key_with(table)).collect()
        };
        // With the table, no update is fingerprinted again: every one is
        // found at its address.
        MADE_NOW.set(0);
        let with = keys(Some(&prints));
        assert_eq!(MADE_NOW.get(), 0, "an update was missed in the table");
        let without = keys(None);
        assert!(MADE_NOW.get() >= 12 * 3, "{}", MADE_NOW.get());
        assert_eq!(with, without);
        assert_eq!(with, of_units(&trees, &units));
        assert_eq!(with.len(), units.len());
        // Outside a key, an update is itself (templates, open data).
        assert!(!KEYING.get());
        let region = &prepared.model.regions[0];
        let json = serde_json::to_value(region).unwrap();
        assert!(json["updates"][0]["update"].is_object(), "{json}");
        // An update's fingerprint stands for all of it: another figure in
        // one update changes its region's and the overview's keys.
        let mut model = prepared.model.clone();
        let first = &mut model.regions[0].updates[0];
        first.shops_reopened_percent = Some(first.shops_reopened_percent.unwrap_or(0.0) + 1.0);
        let locale = trees[0].locale;
        // The first update's unit, its region's and the site-wide files'.
        let readers = |m: &crate::derive::SiteModel| -> Vec<u64> {
            let inputs = [
                UnitInput::Update {
                    site: &m.site,
                    locale,
                    region: &m.regions[0].region,
                    update: &m.regions[0].updates[0],
                },
                UnitInput::Region {
                    site: &m.site,
                    locale,
                    region: &m.regions[0],
                },
                UnitInput::Global { model: m, locale },
            ];
            inputs.iter().map(UnitInput::key).collect()
        };
        let (before, after) = (readers(&prepared.model), readers(&model));
        assert!(
            before.iter().all(|k| with.contains(k)),
            "not a unit's input"
        );
        for (what, (b, a)) in ["update", "region", "overview"]
            .iter()
            .zip(before.iter().zip(&after))
        {
            assert_ne!(b, a, "the {what}'s key missed the edit of an update");
        }
    }
}
