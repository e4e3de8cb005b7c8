//! A deterministic synthetic content folder of R regions × U weekly updates,
//! for the benchmark and for tests at scale. Same arguments, same bytes.

use std::fmt::Write as _;
use std::path::Path;

use crate::content::model::Date;

/// A small linear congruential generator: deterministic everywhere.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

pub fn region_slug(r: usize) -> String {
    format!("region-{r:03}")
}

/// The date of update `u` (weekly from 2020-03-19).
pub fn update_date(u: usize) -> Date {
    let start = Date {
        year: 2020,
        month: 3,
        day: 19,
    }
    .days_since_epoch();
    Date::from_days_since_epoch(start + 7 * u as i64)
}

/// The text of one synthetic update.
pub fn update_text(r: usize, u: usize) -> String {
    let mut rng = Lcg((r as u64) << 32 | u as u64);
    let date = update_date(u);
    // A region's number of shops does not change, and its figures move
    // plausibly from one update to the next (no `implausible-change`).
    let total = Lcg(r as u64 ^ 0x5eed_5eed).range(5, 40);
    let reopened = rng.range(0, total);
    let mut t = String::new();
    let _ = writeln!(t, "title: Point de situation n°{} de la région {r}", u + 1);
    let _ = writeln!(t, "date: {date}");
    let _ = writeln!(
        t,
        "source:\n  name: Radio locale {r}\n  kind: Interview radio\n  url: https://example.org/r{r}/{u}"
    );
    let _ = writeln!(t, "speaker:\n  name: Délégué {r}\n  role: Délégué régional");
    let _ = writeln!(
        t,
        "telework:\n  percent: {}\n  except:\n    - Techniciens d'intervention",
        rng.range(40, 85)
    );
    let _ = writeln!(
        t,
        "field_work:\n  priorities:\n    - Réseau mobile 4G\n    - Fibre optique"
    );
    let _ = writeln!(
        t,
        "priority_services:\n  - Hôpitaux\n  - Services d'urgence\n  - EHPAD"
    );
    let _ = writeln!(
        t,
        "traffic:\n  baseline: avant la crise\n  network_held: true\n  multipliers:\n    - label: Voix sur mobile\n      factor: {}\n    - label: Télétravail\n      factor: {}\n    - label: Visioconférence\n      factor: {}.5",
        rng.range(1, 5),
        rng.range(2, 12),
        rng.range(1, 4)
    );
    let _ = writeln!(
        t,
        "incidents:\n  - kind: Cyberattaque\n    target: Centre hospitalier\n    response: Équipe cybersécurité"
    );
    let _ = writeln!(
        t,
        "online:\n  customers_percent: {}\n  growth_percent: {}",
        rng.range(30, 75),
        rng.range(10, 55)
    );
    let _ = writeln!(
        t,
        "shops:\n  total: {total}\n  reopened: {reopened}\n  by_appointment: true"
    );
    let _ = writeln!(
        t,
        "narrative: |\n  Semaine {} : le réseau a tenu, les équipes restent **mobilisées**.",
        u + 1
    );
    t
}

/// Writes `regions` × `updates` into `dir` (which must not exist or be empty).
pub fn generate(dir: &Path, regions: usize, updates: usize, language: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("regions"))?;
    std::fs::write(
        dir.join("site.yaml"),
        format!(
            "title: Continuité synthétique\norganisation: Opérateur national\nlanguage: {language}\nbase_url: https://example.org/\n"
        ),
    )?;
    for r in 0..regions {
        let rdir = dir.join("regions").join(region_slug(r));
        std::fs::create_dir_all(&rdir)?;
        std::fs::write(
            rdir.join("region.yaml"),
            format!("name: Région {r}\ndelegate:\n  name: Délégué {r}\n  role: Délégué régional\n"),
        )?;
        for u in 0..updates {
            std::fs::write(
                rdir.join(format!("{}.yaml", update_date(u))),
                update_text(r, u),
            )?;
        }
    }
    Ok(())
}
