//! Figures computed from the facts, never typed by hand: each region's
//! updates in date order, the change since the previous update, shares and
//! the overview's side-by-side of every region's latest figures.

use serde::Serialize;

use crate::content::model::{
    Content, Date, Language, Region, Site, Text, TrafficMultiplier, Update,
};

/// Changes between an update and the one before it in the same region.
/// Each is `None` when either update lacks the figure.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    pub since: Option<Date>,
    /// Telework share, in percentage points.
    pub telework_points: Option<f64>,
    /// Shops reopened, as a count.
    pub shops_reopened: Option<i64>,
    /// Share of customers served online, in percentage points.
    pub online_points: Option<f64>,
    /// Both updates give a telework share, but of different scopes: it is
    /// not compared (`telework_points` is `None`), and readers are told.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub telework_scope_changed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DerivedUpdate {
    pub update: Update,
    /// Multipliers sorted by factor, largest first (ties by label).
    pub multipliers_ranked: Vec<TrafficMultiplier>,
    /// reopened / total × 100, when both are known and total > 0.
    pub shops_reopened_percent: Option<f64>,
    pub previous: Option<Date>,
    pub next: Option<Date>,
    pub changes: Changes,
    /// Not yet due: only the preview shows it, under an embargo banner
    /// (a build never holds such an update).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub embargoed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DerivedRegion {
    pub region: Region,
    /// Oldest first.
    #[serde(serialize_with = "crate::render::keys::updates")]
    pub updates: Vec<DerivedUpdate>,
}

impl DerivedRegion {
    pub fn latest(&self) -> Option<&DerivedUpdate> {
        self.updates.last()
    }
}

/// One row of the overview: a region's latest figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverviewRow {
    pub slug: String,
    pub name: Text,
    pub date: Option<Date>,
    pub telework_percent: Option<f64>,
    pub shops_reopened_percent: Option<f64>,
    pub shops_reopened: Option<u64>,
    pub shops_total: Option<u64>,
    /// The latest update's shops never closed.
    pub shops_stayed_open: bool,
    pub online_percent: Option<f64>,
    pub top_multiplier: Option<TrafficMultiplier>,
}

/// The whole site's model: what every renderer reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteModel {
    pub site: Site,
    /// Sorted by slug.
    pub regions: Vec<DerivedRegion>,
    /// Sorted by region name.
    pub overview: Vec<OverviewRow>,
}

impl SiteModel {
    /// The model as read in `lang`: every text in that language, those
    /// that fall back to the default language marked as such.
    pub fn localised(&self, lang: Language) -> SiteModel {
        use crate::content::translations::{localise_text, region_texts, site_texts, update_texts};
        let mut m = self.clone();
        let mut local = |_: &str, t: &mut Text| localise_text(t, lang);
        site_texts(&mut m.site, &mut local);
        for r in &mut m.regions {
            region_texts(&mut r.region, &mut local);
            for d in &mut r.updates {
                update_texts(&mut d.update, &mut local);
                for tm in &mut d.multipliers_ranked {
                    localise_text(&mut tm.label, lang);
                }
            }
        }
        for row in &mut m.overview {
            localise_text(&mut row.name, lang);
            if let Some(tm) = &mut row.top_multiplier {
                localise_text(&mut tm.label, lang);
            }
        }
        m
    }

    pub fn region(&self, slug: &str) -> Option<&DerivedRegion> {
        self.regions.iter().find(|r| r.region.slug == slug)
    }

    /// Every update of every region, newest first (ties by region slug).
    pub fn updates_newest_first(&self) -> Vec<(&DerivedRegion, &DerivedUpdate)> {
        let mut all: Vec<_> = self
            .regions
            .iter()
            .flat_map(|r| r.updates.iter().map(move |u| (r, u)))
            .collect();
        all.sort_by(|a, b| {
            b.1.update
                .date
                .cmp(&a.1.update.date)
                .then(a.0.region.slug.cmp(&b.0.region.slug))
        });
        all
    }
}

fn diff(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? - b?)
}

pub fn shops_percent(u: &Update) -> Option<f64> {
    let s = u.shops.as_ref()?;
    let (r, t) = (s.reopened?, s.total?);
    (t > 0).then(|| r as f64 * 100.0 / t as f64)
}

fn derive_update(update: Update, prev: Option<&Update>, next: Option<&Update>) -> DerivedUpdate {
    let u = &update;
    let mut ranked = u
        .traffic
        .as_ref()
        .map(|t| t.multipliers.clone())
        .unwrap_or_default();
    ranked.sort_by(|a, b| {
        b.factor
            .mid()
            .total_cmp(&a.factor.mid())
            .then(a.label.as_str().cmp(b.label.as_str()))
    });
    let telework = |u: &Update| u.telework.as_ref().and_then(|t| t.percent);
    // Telework figures that count different people are never compared.
    let telework_comparable = |p: &Update| match (&u.telework, &p.telework) {
        (Some(a), Some(b)) => a.comparable(b),
        _ => false,
    };
    let online = |u: &Update| u.online.as_ref().and_then(|o| o.customers_percent);
    let reopened = |u: &Update| u.shops.as_ref().and_then(|s| s.reopened).map(|r| r as i64);
    let changes = match prev {
        None => Changes::default(),
        Some(p) => Changes {
            since: Some(p.date),
            telework_points: diff(telework(u), telework(p)).filter(|_| telework_comparable(p)),
            telework_scope_changed: telework(u).is_some()
                && telework(p).is_some()
                && !telework_comparable(p),
            shops_reopened: reopened(u).zip(reopened(p)).map(|(a, b)| a - b),
            online_points: diff(online(u), online(p)),
        },
    };
    let shops_reopened_percent = shops_percent(u);
    DerivedUpdate {
        update,
        multipliers_ranked: ranked,
        shops_reopened_percent,
        previous: prev.map(|p| p.date),
        next: next.map(|n| n.date),
        changes,
        embargoed: false,
    }
}

/// The site model of `content`, which it consumes: each update moves into
/// its region, so the content and the model are never both in memory
/// (every update used to be copied into the model while the content was
/// still held). Updates are grouped by region once (each region used to
/// scan every update: 10^8 comparisons at 1 000 regions × 100 000).
pub fn derive(content: Content) -> SiteModel {
    let Content {
        site,
        regions: list,
        updates,
    } = content;
    let mut by_region: std::collections::HashMap<String, Vec<Update>> =
        std::collections::HashMap::with_capacity(list.len());
    for u in updates {
        match by_region.get_mut(&u.region) {
            Some(v) => v.push(u),
            None => {
                by_region.insert(u.region.clone(), vec![u]);
            }
        }
    }
    let mut regions = Vec::with_capacity(list.len());
    for region in list {
        let mut updates = by_region
            .remove(&region.slug)
            .unwrap_or_default()
            .into_iter()
            .peekable();
        let mut derived: Vec<DerivedUpdate> = Vec::with_capacity(updates.len());
        while let Some(u) = updates.next() {
            let prev = derived.last().map(|d| &d.update);
            let d = derive_update(u, prev, updates.peek());
            derived.push(d);
        }
        regions.push(DerivedRegion {
            region,
            updates: derived,
        });
    }
    let mut overview: Vec<OverviewRow> = regions
        .iter()
        .map(|r| {
            let latest = r.latest();
            let u = latest.map(|d| &d.update);
            OverviewRow {
                slug: r.region.slug.clone(),
                name: r.region.name.clone(),
                date: u.map(|u| u.date),
                telework_percent: u.and_then(|u| u.telework.as_ref()).and_then(|t| t.percent),
                shops_reopened_percent: latest.and_then(|d| d.shops_reopened_percent),
                shops_reopened: u.and_then(|u| u.shops.as_ref()).and_then(|s| s.reopened),
                shops_total: u.and_then(|u| u.shops.as_ref()).and_then(|s| s.total),
                shops_stayed_open: u.and_then(|u| u.shops.as_ref()).and_then(|s| s.stayed_open)
                    == Some(true),
                online_percent: u
                    .and_then(|u| u.online.as_ref())
                    .and_then(|o| o.customers_percent),
                top_multiplier: latest.and_then(|d| d.multipliers_ranked.first().cloned()),
            }
        })
        .collect();
    overview.sort_by(|a, b| {
        a.name
            .as_str()
            .cmp(b.name.as_str())
            .then(a.slug.cmp(&b.slug))
    });
    SiteModel {
        site,
        regions,
        overview,
    }
}
