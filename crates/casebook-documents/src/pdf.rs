//! Text from a PDF: each page is run through hayro's
//! interpreter (the PDF engine typst itself uses) with a device that keeps only where
//! each glyph was drawn and what character it is, then glyphs are read back in lines,
//! top to bottom and left to right. Scans (images of text) have no glyphs, so they
//! read as empty and are refused with a sentence.

use hayro_interpret::font::Glyph;
use hayro_interpret::hayro_cmap::BfString;
use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache,
    InterpreterSettings, Paint, PathDrawMode, RectExt, SoftMask, TransformExt, interpret_page,
};
use kurbo::{Affine, BezPath};

use crate::DocumentError;

/// One drawn glyph: where, how big, how far the pen moved after it, and what it says.
struct Placed {
    x: f64,
    y: f64,
    size: f64,
    advance: f64,
    text: String,
}

#[derive(Default)]
struct TextDevice {
    glyphs: Vec<Placed>,
}

impl<'a> Device<'a> for TextDevice {
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}
    fn draw_path(&mut self, _: &BezPath, _: Affine, _: &Paint<'a>, _: &PathDrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph(
        &mut self,
        glyph: &Glyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        _: &GlyphDrawMode,
    ) {
        let Some(text) = glyph.as_unicode() else {
            return;
        };
        // Outlines are in units of 1/1000 em, so the transform's scale is size / 1000.
        let [a, b, c, d, x, y] = (transform * glyph_transform).as_coeffs();
        let size = 1000.0 * c.hypot(d);
        let advance = match glyph {
            Glyph::Outline(g) => g.advance_width().map(|w| f64::from(w) * a.hypot(b)),
            Glyph::Type3(_) => None,
        }
        .unwrap_or(size * 0.5);
        let text = match text {
            BfString::Char(ch) => ch.to_string(),
            BfString::String(s) => s,
        };
        self.glyphs.push(Placed {
            x,
            y,
            size,
            advance,
            text,
        });
    }
    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {}
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

/// The lines of every page, top to bottom.
pub fn pdf_lines(name: &str, bytes: &[u8]) -> Result<Vec<String>, DocumentError> {
    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| {
        let why = format!("{e:?}").to_lowercase();
        if why.contains("encrypt") || why.contains("password") {
            DocumentError(format!(
                "{name} is a password-protected PDF: save an unprotected copy and check that."
            ))
        } else {
            DocumentError(format!("{name} is not a PDF casebook can read."))
        }
    })?;
    let cache = InterpreterCache::new();
    let mut text = String::new();
    for page in pdf.pages().iter() {
        let mut device = TextDevice::default();
        let mut context = Context::new(
            page.initial_transform(true).to_kurbo(),
            page.intersected_crop_box().to_kurbo(),
            &cache,
            page.xref(),
            InterpreterSettings::default(),
        );
        interpret_page(page, &mut context, &mut device);
        text.push_str(&lines(device.glyphs));
        text.push('\n');
    }
    if text.trim().is_empty() {
        return Err(DocumentError(format!(
            "{name} has no text casebook can read (it may be a scan): type it out, or ask the sender for a Word or text copy."
        )));
    }
    Ok(text.lines().map(str::to_owned).collect())
}

/// Glyphs into lines: the same baseline within a third of the text size is one line; a
/// gap of more than a sixth of the text size after a glyph's advance is a space.
fn lines(mut glyphs: Vec<Placed>) -> String {
    // With the y axis pointing down (initial_transform(true)), smaller y is higher.
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<Placed>> = Vec::new();
    for g in glyphs {
        match rows.last_mut() {
            Some(row) if (row[0].y - g.y).abs() <= row[0].size.max(1.0) / 3.0 => row.push(g),
            _ => rows.push(vec![g]),
        }
    }
    let mut out = String::new();
    for mut row in rows {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut last_end: Option<f64> = None;
        for g in &row {
            if let Some(end) = last_end
                && g.x - end > g.size / 6.0
                && !out.ends_with(' ')
                && g.text != " "
            {
                out.push(' ');
            }
            out.push_str(&g.text);
            last_end = Some(g.x + g.advance);
        }
        out.push('\n');
    }
    out
}
