//! Embargoed updates (`publish_at:`): an update not yet due at the build's
//! instant is taken out of the content right after validation, in one
//! place, so that no output can show it — the site is exactly what it would
//! be without the file. The preview keeps it, marked, to show it under an
//! "embargo until …" banner.

use serde::Serialize;

use crate::content::model::{Content, Date, Timestamp};

/// The build's instant, in seconds since 1970-01-01T00:00:00Z: `--now`,
/// or the system clock.
pub fn clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// An update not yet due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pending {
    pub region: String,
    pub date: Date,
    pub publish_at: Timestamp,
}

/// The instants between which the set of due updates stays the same:
/// `since` ≤ now < `until` (`None`: unbounded). A build outside the window
/// of the previous one must look at the content again, even unchanged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    /// The latest `publish_at` already passed.
    pub since: Option<i64>,
    /// The next `publish_at` to come.
    pub until: Option<i64>,
}

impl Window {
    pub fn contains(&self, now: i64) -> bool {
        self.since.is_none_or(|s| s <= now) && self.until.is_none_or(|u| now < u)
    }
}

/// The embargo state of a run: the updates still pending, soonest first,
/// and the window in which that stays true.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Embargo {
    pub pending: Vec<Pending>,
    pub window: Window,
}

impl Embargo {
    /// The next `publish_at` to come: when a scheduled build should run.
    pub fn next(&self) -> Option<Timestamp> {
        self.pending.first().map(|p| p.publish_at)
    }

    pub fn is_pending(&self, region: &str, date: Date) -> bool {
        self.pending
            .iter()
            .any(|p| p.region == region && p.date == date)
    }
}

/// Finds the updates of `content` not yet due at `now`; removes them from
/// it unless `keep` (the preview).
pub fn split(content: &mut Content, now: i64, keep: bool) -> Embargo {
    let mut embargo = Embargo::default();
    for u in &content.updates {
        let Some(at) = u.publish_at else { continue };
        if at.unix <= now {
            embargo.window.since = embargo.window.since.max(Some(at.unix));
        } else {
            embargo.window.until = Some(embargo.window.until.map_or(at.unix, |x| x.min(at.unix)));
            embargo.pending.push(Pending {
                region: u.region.clone(),
                date: u.date,
                publish_at: at,
            });
        }
    }
    embargo
        .pending
        .sort_by(|a, b| (a.publish_at, &a.region, a.date).cmp(&(b.publish_at, &b.region, b.date)));
    if !keep {
        content
            .updates
            .retain(|u| u.publish_at.is_none_or(|at| at.unix <= now));
    }
    embargo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows() {
        let w = Window {
            since: Some(10),
            until: Some(20),
        };
        assert!(w.contains(10) && w.contains(19));
        assert!(!w.contains(9) && !w.contains(20));
        assert!(Window::default().contains(i64::MIN));
    }
}
