//! Drawing an SVG tree with its text set from cached glyph masks.
//!
//! resvg draws text by filling the outlines of every glyph, every time:
//! for a share card, whose large title and figures are most of its area,
//! that was three quarters of its rasterising time, and the same few
//! hundred glyphs are drawn again on each of 10 000 cards and 40 000 chart
//! images. Here plain text (an opaque solid fill, no stroke or decoration,
//! a static font without colour glyphs, an unrotated transform, at most
//! 512 pixels per em) is drawn glyph by glyph from
//! an anti-aliased coverage mask made once per glyph, size and quarter-pixel
//! position (per thread), then blended at its whole-pixel place. A mask is
//! a pure function of its key, so the image does not depend on which
//! thread drew it or what it drew before. Everything else is drawn by
//! resvg, node by node, in document order; a tree with a node resvg cannot
//! draw on its own (a horizontal or vertical line has no bounding box to
//! place it by) is drawn by resvg whole.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

#[cfg(test)]
use resvg::tiny_skia;
use resvg::tiny_skia::{FillRule, Mask, PathBuilder, PixmapMut, Transform};
use resvg::usvg::{self, fontdb};

/// Positions per pixel a glyph is drawn at (its origin is rounded to a
/// quarter pixel, horizontally and vertically).
const PHASES: f32 = 4.0;

/// Masks kept per thread before the cache starts again (at most a few tens
/// of megabytes, even for a script of thousands of distinct glyphs).
const MAX_MASKS: usize = 8_192;

/// Largest size, in pixels per em on the image, drawn from a mask: a
/// larger glyph (hostile content can ask for any size) is resvg's, which
/// draws only what falls on the image.
const MAX_EM_PX: f32 = 512.0;

/// Draws `tree` on `pixmap` under `transform`.
pub fn draw(tree: &usvg::Tree, transform: Transform, pixmap: &mut PixmapMut) {
    if node_by_node(tree.root()) {
        draw_group(tree.root(), tree.fontdb(), transform, pixmap);
    } else {
        resvg::render(tree, transform, pixmap);
    }
}

/// Whether resvg can draw each node that is not descended into on its
/// own: `render_node` places a node by its layer bounding box, which a
/// horizontal or vertical line (a chart's grid) does not have, so a tree
/// holding one is drawn by resvg whole.
fn node_by_node(group: &usvg::Group) -> bool {
    group.children().iter().all(|node| match node {
        usvg::Node::Group(g) if !g.should_isolate() => node_by_node(g),
        usvg::Node::Text(_) => true,
        other => other.abs_layer_bounding_box().is_some(),
    })
}

fn draw_group(
    group: &usvg::Group,
    fonts: &fontdb::Database,
    transform: Transform,
    pixmap: &mut PixmapMut,
) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) if !g.should_isolate() => {
                draw_group(g, fonts, transform.pre_concat(g.transform()), pixmap);
            }
            usvg::Node::Text(text) if plain(text, fonts, transform) => {
                draw_text(text, fonts, transform, pixmap);
            }
            other => draw_node(other, transform, pixmap),
        }
    }
}

/// A node drawn by resvg at its place (`render_node` draws a node at the
/// origin of its bounding box, which is undone first).
fn draw_node(node: &usvg::Node, transform: Transform, pixmap: &mut PixmapMut) {
    if let Some(b) = node.abs_layer_bounding_box() {
        resvg::render_node(node, transform.pre_translate(b.x(), b.y()), pixmap);
    }
}

/// Whether every glyph of `text` is an outline of a static font without
/// colour glyphs (a bold weight asks for a variation, which such a font
/// ignores), filled opaque with one colour (glyphs are blended one by one:
/// where two overlap, a translucent or even-odd fill would differ),
/// unrotated and not too large.
fn plain(text: &usvg::Text, fonts: &fontdb::Database, transform: Transform) -> bool {
    let flat = text.flattened().transform();
    transform.kx == 0.0
        && transform.ky == 0.0
        && flat.is_identity()
        && text.rendering_mode() != usvg::TextRendering::OptimizeSpeed
        && text.layouted().iter().all(|span| {
            span.visible
                && span.stroke.is_none()
                && span.underline.is_none()
                && span.overline.is_none()
                && span.line_through.is_none()
                && span.fill.as_ref().is_some_and(|f| {
                    matches!(f.paint(), usvg::Paint::Color(_))
                        && f.opacity().get() == 1.0
                        && f.rule() == usvg::FillRule::NonZero
                })
                && span.positioned_glyphs.iter().all(|g| {
                    let t = g.outline_transform();
                    let em = g.font_size() * transform.sx.abs().max(transform.sy.abs());
                    t.kx == 0.0
                        && t.ky == 0.0
                        && em.is_finite()
                        && em <= MAX_EM_PX
                        && outlines_only(fonts, g.font)
                })
        })
}

/// Whether a font is static (no variation axes, so that no variation or
/// optical size changes its outlines) and has no colour or bitmap glyphs,
/// which usvg would draw instead of outlines (remembered per thread; the
/// ids are those of the one bundled font database).
fn outlines_only(fonts: &fontdb::Database, font: fontdb::ID) -> bool {
    thread_local! {
        static STATIC: RefCell<HashMap<fontdb::ID, bool>> = RefCell::new(HashMap::new());
    }
    STATIC.with(|cell| {
        *cell.borrow_mut().entry(font).or_insert_with(|| {
            fonts
                .with_face_data(font, |data, index| {
                    ttf_parser::Face::parse(data, index).is_ok_and(|f| {
                        let t = f.tables();
                        !f.is_variable()
                            && t.colr.is_none()
                            && t.svg.is_none()
                            && t.cbdt.is_none()
                            && t.sbix.is_none()
                    })
                })
                .unwrap_or(false)
        })
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    font: fontdb::ID,
    glyph: u16,
    scale: (u32, u32),
    phase: (u8, u8),
}

/// A glyph's coverage, placed relative to the whole pixel its origin is in.
struct GlyphMask {
    left: i32,
    top: i32,
    width: u32,
    mask: Vec<u8>,
}

thread_local! {
    static MASKS: RefCell<HashMap<Key, Option<Rc<GlyphMask>>>> = RefCell::new(HashMap::new());
}

fn draw_text(
    text: &usvg::Text,
    fonts: &fontdb::Database,
    transform: Transform,
    pixmap: &mut PixmapMut,
) {
    for span in text.layouted() {
        let Some(fill) = &span.fill else { continue };
        let usvg::Paint::Color(c) = fill.paint() else {
            continue;
        };
        for glyph in &span.positioned_glyphs {
            let t = transform.pre_concat(glyph.outline_transform());
            let (x, px) = split(t.tx);
            let (y, py) = split(t.ty);
            let key = Key {
                font: glyph.font,
                glyph: glyph.id.0,
                scale: (t.sx.to_bits(), t.sy.to_bits()),
                phase: (px, py),
            };
            if let Some(mask) = mask(fonts, key) {
                let at = (x.saturating_add(mask.left), y.saturating_add(mask.top));
                blend(pixmap, &mask, at, *c);
            }
        }
    }
}

/// A coordinate as a whole pixel and a quarter-pixel phase.
fn split(v: f32) -> (i32, u8) {
    let q = (v * PHASES).round();
    let whole = (q / PHASES).floor();
    (whole as i32, (q - whole * PHASES) as u8)
}

fn mask(fonts: &fontdb::Database, key: Key) -> Option<Rc<GlyphMask>> {
    MASKS.with(|cell| {
        if let Some(hit) = cell.borrow().get(&key) {
            return hit.clone();
        }
        let made = make_mask(fonts, key).map(Rc::new);
        let mut masks = cell.borrow_mut();
        if masks.len() >= MAX_MASKS {
            masks.clear();
        }
        masks.insert(key, made.clone());
        made
    })
}

/// The glyph's outline filled at its key's scale and phase, anti-aliased.
fn make_mask(fonts: &fontdb::Database, key: Key) -> Option<GlyphMask> {
    let path = fonts.with_face_data(key.font, |data, index| {
        let face = ttf_parser::Face::parse(data, index).ok()?;
        let mut outline = Outline(PathBuilder::new());
        face.outline_glyph(ttf_parser::GlyphId(key.glyph), &mut outline)?;
        outline.0.finish()
    })??;
    let (sx, sy) = (f32::from_bits(key.scale.0), f32::from_bits(key.scale.1));
    let at = |phase: u8| f32::from(phase) / PHASES;
    let placed = Transform::from_row(sx, 0.0, 0.0, sy, at(key.phase.0), at(key.phase.1));
    let bounds = path.clone().transform(placed)?.bounds();
    let left = bounds.left().floor() as i32 - 1;
    let top = bounds.top().floor() as i32 - 1;
    let width = (bounds.right().ceil() as i32 - left + 1).max(1) as u32;
    let height = (bounds.bottom().ceil() as i32 - top + 1).max(1) as u32;
    let mut mask = Mask::new(width, height)?;
    // Plain text is filled non-zero (see `plain`).
    mask.fill_path(
        &path,
        FillRule::Winding,
        true,
        placed.post_translate(-left as f32, -top as f32),
    );
    Some(GlyphMask {
        left,
        top,
        width,
        mask: mask.take(),
    })
}

struct Outline(PathBuilder);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

/// Blends `color` through `glyph`'s coverage onto the premultiplied RGBA
/// `pixmap`, its top-left corner at `(x, y)` (source over; what falls
/// outside the pixmap is left out).
fn blend(pixmap: &mut PixmapMut, glyph: &GlyphMask, (x, y): (i32, i32), color: usvg::Color) {
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    let gw = glyph.width as i32;
    let gh = (glyph.mask.len() / glyph.width as usize) as i32;
    let (x0, x1) = (x.max(0), x.saturating_add(gw).min(pw));
    let (y0, y1) = (y.max(0), y.saturating_add(gh).min(ph));
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let rgb = [
        u32::from(color.red),
        u32::from(color.green),
        u32::from(color.blue),
    ];
    let data = pixmap.data_mut();
    for row in y0..y1 {
        let cover = &glyph.mask[((row - y) * gw + (x0 - x)) as usize..][..(x1 - x0) as usize];
        let start = (row * pw + x0) as usize * 4;
        let pixels = &mut data[start..start + cover.len() * 4];
        for (px, &m) in pixels.chunks_exact_mut(4).zip(cover) {
            if m == 0 {
                continue;
            }
            // Source alpha (the coverage: the fill is opaque), then
            // source over destination.
            let a = u32::from(m);
            let keep = 255 - a;
            for (d, s) in px[..3].iter_mut().zip(rgb) {
                *d = (div255(s * a) + div255(u32::from(*d) * keep)) as u8;
            }
            px[3] = (a + div255(u32::from(px[3]) * keep)) as u8;
        }
    }
}

/// `v / 255`, rounded, for `v` up to 255 × 255.
fn div255(v: u32) -> u32 {
    (v + 128 + ((v + 128) >> 8)) >> 8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `svg` drawn at `scale` on white, by resvg alone and from the masks.
    fn both(svg: &str, scale: f32) -> (Vec<u8>, Vec<u8>) {
        let tree = usvg::Tree::from_str(svg, &super::super::png::options()).unwrap();
        let size = tree.size().to_int_size().scale_by(scale).unwrap();
        let draw_with = |f: &dyn Fn(&mut PixmapMut)| {
            let mut p = tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
            p.fill(tiny_skia::Color::WHITE);
            f(&mut p.as_mut());
            p.take()
        };
        let t = Transform::from_scale(scale, scale);
        (
            draw_with(&|p| resvg::render(&tree, t, p)),
            draw_with(&|p| draw(&tree, t, p)),
        )
    }

    /// Glyphs drawn from their masks land where resvg draws their outlines:
    /// no pixel further off than a glyph moved by an eighth of a pixel
    /// would make it, and on average less than one level in 255. Text that
    /// is not plain (rotated, stroked, underlined) is resvg's own.
    #[test]
    fn text_from_masks_matches_resvg() {
        let svg = "<svg width=\"300\" height=\"160\" viewBox=\"0 0 300 160\" \
            xmlns=\"http://www.w3.org/2000/svg\" font-family=\"Noto Sans\">\
            <rect x=\"10\" y=\"10\" width=\"80\" height=\"40\" fill=\"#005A9C\"/>\
            <text x=\"12.3\" y=\"30.6\" font-size=\"15\" fill=\"#FFFFFF\">Télé ×6</text>\
            <text x=\"100.1\" y=\"40\" font-size=\"34\" font-weight=\"bold\" \
            fill=\"#1F2937\">49 % 😀 −</text>\
            <text x=\"10\" y=\"80\" font-size=\"13\" fill=\"#E69F00\" \
            fill-opacity=\"0.5\" font-style=\"italic\">Arrêt à 12,5 %</text>\
            <text x=\"40\" y=\"150\" font-size=\"14\" transform=\"rotate(-30 40 150)\">rotated</text>\
            <text x=\"150\" y=\"120\" font-size=\"20\" stroke=\"#000\" fill=\"none\">stroked</text>\
            <text x=\"150\" y=\"150\" font-size=\"20\" text-decoration=\"underline\">souligné</text>\
            </svg>";
        // A chart's grid: lines without a bounding box of their own.
        let grid = svg.replace(
            "</svg>",
            "<polyline points=\"0,100 300,100\" stroke=\"#D1D5DB\" stroke-width=\"2\"/>\
             <line x1=\"290\" y1=\"0\" x2=\"290\" y2=\"160\" stroke=\"#000\"/>\
             <text x=\"10\" y=\"140\" font-size=\"30000\">W</text></svg>",
        );
        for (svg, scale) in [(svg, 1.0), (svg, 2.0), (grid.as_str(), 2.0)] {
            let (reference, ours) = both(svg, scale);
            let diffs: Vec<u32> = reference
                .iter()
                .zip(&ours)
                .map(|(a, b)| u32::from(a.abs_diff(*b)))
                .collect();
            let max = diffs.iter().copied().max().unwrap();
            let mean = diffs.iter().sum::<u32>() as f64 / diffs.len() as f64;
            assert!(max <= 128, "at {scale}x a pixel is {max} levels off");
            assert!(
                mean < 1.0,
                "at {scale}x pixels are {mean:.2} levels off on average"
            );
            assert_ne!(reference, vec![255; reference.len()], "nothing was drawn");
        }
    }

    /// The same glyph at the same quarter pixel is the same mask, drawn
    /// first or after other text: an image does not depend on what its
    /// thread drew before.
    #[test]
    fn a_drawing_does_not_depend_on_what_was_drawn_before() {
        let svg = |s: &str| {
            format!(
                "<svg width=\"200\" height=\"40\" viewBox=\"0 0 200 40\" \
                 xmlns=\"http://www.w3.org/2000/svg\"><text x=\"3.4\" y=\"25.2\" \
                 font-family=\"Noto Sans\" font-size=\"17\">{s}</text></svg>"
            )
        };
        MASKS.with(|m| m.borrow_mut().clear());
        let first = both(&svg("Abc 12,5 %"), 2.0).1;
        both(&svg("cbA %5,21 zyx"), 2.0);
        assert_eq!(both(&svg("Abc 12,5 %"), 2.0).1, first);
    }

    #[test]
    fn positions_split_into_pixels_and_quarters() {
        assert_eq!(split(10.0), (10, 0));
        assert_eq!(split(10.26), (10, 1));
        assert_eq!(split(10.9), (11, 0));
        assert_eq!(split(-0.3), (-1, 3));
    }

    #[test]
    fn div255_rounds() {
        for v in 0..=255 * 255 {
            assert_eq!(div255(v), (v as f64 / 255.0).round() as u32, "{v}");
        }
    }
}
