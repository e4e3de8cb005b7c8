//! PNG images rasterised in-process from relance's own SVGs (charts, share
//! cards) with resvg, text set in the bundled fonts, never the system's:
//! the same SVG gives the same bytes on every machine.

use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

use super::charts::{FONT_BOLD, FONT_FALLBACK, FONT_ITALIC, FONT_REGULAR};

/// Pixel density of the chart PNGs: two image pixels per CSS pixel, sharp
/// on high-density screens and in print at column width.
pub const CHART_SCALE: f32 = 2.0;

/// The bundled fonts, loaded once: Noto Sans first, DejaVu Sans for the
/// glyphs it lacks. Every generic family resolves to Noto Sans.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for bytes in [FONT_REGULAR, FONT_BOLD, FONT_ITALIC, FONT_FALLBACK] {
            db.load_font_data(bytes.to_vec());
        }
        db.set_sans_serif_family(super::charts::FAMILY);
        db.set_serif_family(super::charts::FAMILY);
        db.set_monospace_family(super::charts::FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Parsing options: the bundled fonts only, and no `<image>` loaded from
/// a file or a data URL (relance's SVGs have none; an SVG that had one
/// must not read the disk).
fn options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: super::charts::FAMILY.to_string(),
        fontdb: fonts(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    }
}

/// Rasterises `svg` at `scale` image pixels per SVG pixel, as PNG bytes.
pub fn rasterise(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_str(svg, &options()).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let mut pixmap = size
        .scale_by(scale)
        .and_then(|s| tiny_skia::Pixmap::new(s.width(), s.height()))
        .ok_or(())
        .map_err(|_| format!("cannot allocate a {size:?} image at {scale}x"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode_opaque(&pixmap).map_err(|e| e.to_string())
}

/// PNG bytes of a pixmap drawn on an opaque background: RGB without the
/// alpha channel (every pixel is opaque, so premultiplied equals straight
/// colour and nothing needs converting), compressed with the PNG crate's
/// fast deflate. On a full build of 10 000 updates (40 000 chart PNGs)
/// tiny-skia's own encoder (RGBA, zlib's default level) spent more time
/// compressing than drawing.
fn encode_opaque(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let mut rgb = Vec::with_capacity(pixmap.data().len() / 4 * 3);
    for p in pixmap.data().chunks_exact(4) {
        rgb.extend_from_slice(&p[..3]);
    }
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Width and height from a PNG's IHDR chunk.
    fn dimensions(png: &[u8]) -> (u32, u32) {
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        (be(&png[16..20]), be(&png[20..24]))
    }

    const SVG: &str = "<svg width=\"100\" height=\"40\" viewBox=\"0 0 100 40\" \
        xmlns=\"http://www.w3.org/2000/svg\"><text x=\"5\" y=\"25\" \
        font-family=\"Noto Sans\" font-size=\"16\">Ab 😀 −</text></svg>";

    #[test]
    fn text_is_drawn_at_twice_the_size() {
        let png = rasterise(SVG, CHART_SCALE).unwrap();
        assert_eq!(dimensions(&png), (200, 80));
        let blank = rasterise(&SVG.replace("Ab 😀 −", ""), CHART_SCALE).unwrap();
        assert_ne!(png, blank, "the text was dropped");
        assert_eq!(png, rasterise(SVG, CHART_SCALE).unwrap());
    }

    #[test]
    fn images_are_not_loaded() {
        let svg = "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\" \
            xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image width=\"10\" height=\"10\" \
            xlink:href=\"/etc/passwd\"/></svg>";
        let blank = "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(rasterise(svg, 1.0).unwrap(), rasterise(blank, 1.0).unwrap());
    }
}
