//! The press kit: share cards and share tags, embeddable charts, per-chart
//! data, read back from a real build.

mod common;
use common::*;

const DIR: &str = "output/regions/languedoc-roussillon/2020-05-14";
const SITE_YAML: &str = "content/site.yaml";

/// The `content` of the `<meta>` whose `property` or `name` is `key`.
fn meta(html: &str, key: &str) -> Option<String> {
    let (tags, _) = html_tags(html);
    tags.iter()
        .filter(|t| t.name == "meta")
        .find(|t| t.attr("property") == Some(key) || t.attr("name") == Some(key))
        .and_then(|t| t.attr("content").map(str::to_string))
}

#[test]
fn every_update_has_a_share_card_of_1200_by_630() {
    let p = Project::multi();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let site = p.snapshot("output");
    let cards: Vec<_> = site.keys().filter(|k| k.ends_with("/card.png")).collect();
    let pages = site
        .keys()
        .filter(|k| {
            let parts: Vec<&str> = k.split('/').collect();
            parts.len() == 4 && parts[0] == "regions" && parts[3] == "index.html"
        })
        .count();
    assert!(pages >= 3, "{pages} update pages");
    assert_eq!(cards.len(), pages, "one card per update: {cards:?}");
    for c in cards {
        assert_eq!(png_size(&site[c]), (1200, 630), "{c}");
    }
}

#[test]
fn the_card_is_drawn_from_the_update() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let card = std::fs::read(p.path(&format!("{DIR}/card.png"))).unwrap();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_eq!(
        card,
        std::fs::read(p.path(&format!("{DIR}/card.png"))).unwrap(),
        "same content, same card"
    );
    p.edit(
        "content/regions/languedoc-roussillon/2020-05-14.yaml",
        "percent: 90",
        "percent: 80",
    );
    assert_ok(&p.run(&["build", "--no-pdf"]));
    assert_ne!(
        card,
        std::fs::read(p.path(&format!("{DIR}/card.png"))).unwrap(),
        "a key figure changed, the card too"
    );
}

#[test]
fn pages_carry_share_tags_absolute_with_a_base_url() {
    let p = Project::example();
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let page = p.read(&format!("{DIR}/index.html"));
    let base = "https://example.org/relance/";
    assert_eq!(
        meta(&page, "og:image").as_deref(),
        Some(&*format!(
            "{base}regions/languedoc-roussillon/2020-05-14/card.png"
        ))
    );
    assert_eq!(
        meta(&page, "og:url").as_deref(),
        Some(&*format!(
            "{base}regions/languedoc-roussillon/2020-05-14/index.html"
        ))
    );
    let title = meta(&page, "og:title").unwrap();
    assert!(
        title.starts_with("Les réseaux ont tenu malgré un trafic exceptionnel"),
        "{title}"
    );
    assert!(title.contains("Languedoc-Roussillon"), "{title}");
    let description = meta(&page, "og:description").unwrap();
    assert!(
        description.starts_with("Pendant le confinement"),
        "{description}"
    );
    assert!(description.chars().count() <= 201, "{description}");
    assert_eq!(
        meta(&page, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    // The region page shares its latest update's card, the overview its chart.
    let region = p.read("output/regions/languedoc-roussillon/index.html");
    assert_eq!(
        meta(&region, "og:image").as_deref(),
        Some(&*format!(
            "{base}regions/languedoc-roussillon/2020-05-14/card.png"
        ))
    );
    let overview = p.read("output/index.html");
    assert_eq!(
        meta(&overview, "og:image").as_deref(),
        Some(&*format!("{base}charts/overview.png"))
    );
    assert!(meta(&overview, "og:title").is_some());
}

#[test]
fn without_a_base_url_share_tags_are_relative() {
    let p = Project::example();
    let site = p.read(SITE_YAML);
    let kept: String = site
        .lines()
        .filter(|l| !l.starts_with("base_url:"))
        .map(|l| format!("{l}\n"))
        .collect();
    p.write(SITE_YAML, kept);
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let page = p.read(&format!("{DIR}/index.html"));
    assert_eq!(meta(&page, "og:image").as_deref(), Some("card.png"));
    assert_eq!(meta(&page, "og:url"), None);
}

#[test]
fn english_pages_share_their_own_card() {
    let p = Project::from(&repo().join("tests/fixtures/bilingual"));
    assert_ok(&p.run(&["build", "--no-pdf"]));
    let site = p.snapshot("output");
    let page = site
        .keys()
        .find(|k| {
            k.starts_with("en/regions/") && k.split('/').count() == 5 && k.ends_with("/index.html")
        })
        .expect("an English update page")
        .clone();
    let html = String::from_utf8(site[&page].clone()).unwrap();
    let image = meta(&html, "og:image").unwrap();
    let card = page.replace("index.html", "card.png");
    assert_eq!(image, format!("https://example.org/relance/{card}"));
    assert!(site.contains_key(&card));
}
