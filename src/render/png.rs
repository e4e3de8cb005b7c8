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
pub(super) fn options() -> usvg::Options<'static> {
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

/// Rows drawn at a time: a tall image (the overview of 200 regions is
/// 24 000 pixels high at 2×, a 90 MB pixmap) is drawn and compressed band
/// by band, so that its memory does not grow with its height.
const BAND_ROWS: u32 = 512;

/// Rows drawn above and below a band and thrown away.
const BAND_MARGIN: u32 = 32;

/// Rasterises `svg` at `scale` image pixels per SVG pixel, as PNG bytes.
pub fn rasterise(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_str(svg, &options()).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let full = size
        .scale_by(scale)
        .ok_or(())
        .map_err(|_| format!("cannot draw a {size:?} image at {scale}x"))?;
    let (width, height) = (full.width(), full.height());
    let mut out = Vec::new();
    let mut writer = encoder(&mut out, width, height).map_err(|e| e.to_string())?;
    let mut png = writer
        .stream_writer_with_size(1 << 16)
        .map_err(|e| e.to_string())?;
    let mut rgb = vec![0; width as usize * 3];
    let mut top = 0;
    while top < height {
        let rows = BAND_ROWS.min(height - top);
        // Anti-aliasing differs within a few rows of a pixmap's edge: each
        // band is drawn with a margin above and below (none past the
        // image's own edges), so that no seam shows.
        let from = top.saturating_sub(BAND_MARGIN);
        let to = (top + rows + BAND_MARGIN).min(height);
        let mut band = tiny_skia::Pixmap::new(width, to - from)
            .ok_or(())
            .map_err(|_| format!("cannot allocate a {size:?} image at {scale}x"))?;
        band.fill(tiny_skia::Color::WHITE);
        // The same drawing, moved up to the band.
        let transform =
            tiny_skia::Transform::from_scale(scale, scale).post_translate(0.0, -(from as f32));
        super::glyphs::draw(&tree, transform, &mut band.as_mut());
        let line = width as usize * 4;
        let start = (top - from) as usize * line;
        for row in band.data()[start..].chunks_exact(line).take(rows as usize) {
            opaque_rgb(row, &mut rgb);
            std::io::Write::write_all(&mut png, &rgb).map_err(|e| e.to_string())?;
        }
        top += rows;
    }
    png.finish().map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// The RGB bytes of a row of opaque RGBA pixels, into `rgb` (every pixel
/// is drawn on white, so premultiplied equals straight colour and nothing
/// needs converting).
fn opaque_rgb(rgba: &[u8], rgb: &mut [u8]) {
    for (to, from) in rgb.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
        to.copy_from_slice(&from[..3]);
    }
}

/// A PNG encoder of opaque RGB, compressed with the PNG crate's fast
/// deflate: on a full build of 10 000 updates (40 000 chart PNGs)
/// tiny-skia's own encoder (RGBA, zlib's default level) spent more time
/// compressing than drawing.
fn encoder(
    out: &mut Vec<u8>,
    width: u32,
    height: u32,
) -> Result<png::Writer<&mut Vec<u8>>, png::EncodingError> {
    let mut encoder = png::Encoder::new(out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.write_header()
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

    /// Drawn band by band, a tall image has exactly the pixels of one
    /// drawn whole.
    #[test]
    fn tall_images_are_drawn_in_bands_without_a_seam() {
        let svg = "<svg width=\"90\" height=\"700\" viewBox=\"0 0 90 700\" \
            xmlns=\"http://www.w3.org/2000/svg\"><rect x=\"3.3\" y=\"100.6\" \
            width=\"80\" height=\"300.2\" fill=\"#005A9C\"/><circle cx=\"45\" \
            cy=\"256\" r=\"30.5\" fill=\"#E69F00\"/><text x=\"5\" y=\"258\" \
            font-family=\"Noto Sans\" font-size=\"16\">Ab −12,5 %</text></svg>";
        let (scale, (w, h)) = (CHART_SCALE, (180, 1400));
        let png = rasterise(svg, scale).unwrap();
        assert_eq!(dimensions(&png), (w, h));
        let mut reader = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut pixels).unwrap();
        let tree = usvg::Tree::from_str(svg, &options()).unwrap();
        let mut whole = tiny_skia::Pixmap::new(w, h).unwrap();
        whole.fill(tiny_skia::Color::WHITE);
        super::super::glyphs::draw(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut whole.as_mut(),
        );
        let mut expected = vec![0; (w * h * 3) as usize];
        opaque_rgb(whole.data(), &mut expected);
        assert!(h > BAND_ROWS * 2, "the image spans several bands");
        let differing = pixels.iter().zip(&expected).filter(|(a, b)| a != b).count();
        assert_eq!(differing, 0, "band drawing differs from whole drawing");
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
