//! Printable notices as PDF without a font in the binary: text is set in the Adobe-GB1 standard
//! font STSong-Light (UniGB-UCS2-H), which every PDF reader maps to its own Song/Ming face, and a
//! ToUnicode map keeps the text searchable and copyable. Output is deterministic (no dates inside
//! the file beyond the ones printed), so it can be snapshot-tested.

use std::fmt::Write as _;

/// A4 in points.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;

/// One block of a notice.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    /// A label and its value, on one line (wrapped when long).
    Field(String, String),
    Heading(String),
    Paragraph(String),
    Gap,
    /// A QR code of the text with a caption beside it.
    Qr(String, String),
}

/// Display width in ems: CJK and full-width forms 1, others ½.
fn width(c: char) -> f32 {
    if (c as u32) < 0x2E80 {
        0.5
    } else {
        1.0
    }
}

/// Wraps text to lines of at most `max_em` ems.
pub fn wrap(text: &str, max_em: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0.0;
        for c in para.chars() {
            let cw = width(c);
            if w + cw > max_em && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                w = 0.0;
            }
            line.push(c);
            w += cw;
        }
        lines.push(line);
    }
    lines
}

/// UCS-2 big-endian hex of the characters the font can show (outside the BMP → "?").
fn hex_ucs2(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 4);
    for c in s.chars() {
        let u = if (c as u32) <= 0xFFFF { c as u32 } else { '?' as u32 };
        let _ = write!(out, "{u:04X}");
    }
    out
}

/// A drawn QR code: its modules (dark = true), position and module size.
#[derive(Debug, Clone, PartialEq)]
struct QrMark {
    x: f32,
    y: f32,
    module: f32,
    width: usize,
    dark: Vec<bool>,
}

fn qr_modules(text: &str) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Some((width, dark))
}

/// One line of text: font size, x, y, text.
type Line = (f32, f32, f32, String);

/// Lays out the blocks as lines on pages, and the QR codes with their page index.
fn layout(blocks: &[Block]) -> (Vec<Vec<Line>>, Vec<(usize, QrMark)>) {
    let mut marks = Vec::new();
    let mut pages = vec![Vec::new()];
    let mut y = PAGE_H - MARGIN;
    let usable = PAGE_W - 2.0 * MARGIN;
    let put = |pages: &mut Vec<Vec<Line>>, y: &mut f32, size: f32, x: f32, text: String| {
        let lead = size * 1.6;
        if *y - lead < MARGIN {
            pages.push(Vec::new());
            *y = PAGE_H - MARGIN;
        }
        *y -= lead;
        pages.last_mut().expect("a page").push((size, x, *y, text));
    };
    for b in blocks {
        match b {
            Block::Title(t) => {
                let size = 20.0;
                let w: f32 = t.chars().map(width).sum::<f32>() * size;
                put(&mut pages, &mut y, size, ((PAGE_W - w) / 2.0).max(MARGIN), t.clone());
                y -= 10.0;
            }
            Block::Heading(t) => {
                y -= 4.0;
                put(&mut pages, &mut y, 13.0, MARGIN, t.clone());
            }
            Block::Field(label, value) => {
                let size = 11.0;
                let label_em = 8.0;
                let label_w: f32 = label.chars().map(width).sum::<f32>() + 1.0;
                if label_w > label_em {
                    // A long label gets its own line; the value follows, indented.
                    put(&mut pages, &mut y, size, MARGIN, format!("{label}："));
                    for l in wrap(value, usable / size - 2.0) {
                        put(&mut pages, &mut y, size, MARGIN + 2.0 * size, l);
                    }
                    continue;
                }
                let lines = wrap(value, usable / size - label_em);
                for (i, l) in lines.into_iter().enumerate() {
                    let label = if i == 0 { format!("{label}：") } else { String::new() };
                    // Label and value on one baseline: two runs.
                    put(&mut pages, &mut y, size, MARGIN, label);
                    let (s, _, yy, _) = pages.last().and_then(|p| p.last()).cloned().expect("just put");
                    pages.last_mut().expect("a page").push((s, MARGIN + label_em * size, yy, l));
                }
            }
            Block::Paragraph(t) => {
                let size = 11.0;
                for l in wrap(t, usable / size) {
                    put(&mut pages, &mut y, size, MARGIN, l);
                }
            }
            Block::Gap => y -= 8.0,
            Block::Qr(text, caption) => {
                let Some((width, dark)) = qr_modules(text) else { continue };
                let side = 96.0;
                if y - side - 8.0 < MARGIN {
                    pages.push(Vec::new());
                    y = PAGE_H - MARGIN;
                }
                y -= side + 8.0;
                let module = side / width as f32;
                marks.push((pages.len() - 1, QrMark { x: MARGIN, y, module, width, dark }));
                let size = 10.0;
                let mut ty = y + side - size * 1.6;
                for l in wrap(caption, (usable - side - 16.0) / size) {
                    pages.last_mut().expect("a page").push((size, MARGIN + side + 16.0, ty, l));
                    ty -= size * 1.6;
                }
            }
        }
    }
    (pages, marks)
}

fn tounicode_cmap() -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    // UCS-2 codes map to themselves; a bfrange may only vary the last byte.
    for chunk in (0u32..256).collect::<Vec<_>>().chunks(100) {
        let _ = writeln!(s, "{} beginbfrange", chunk.len());
        for hi in chunk {
            let _ = writeln!(s, "<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>");
        }
        s.push_str("endbfrange\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

/// Renders the blocks as a PDF document.
pub fn render(blocks: &[Block]) -> Vec<u8> {
    let (pages, marks) = layout(blocks);
    let n = pages.len();
    // Objects: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, 6 ToUnicode, then per page
    // (page, contents).
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 7 + 2 * i)).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    objects.push(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>"
            .to_vec(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>"
            .to_vec(),
    );
    objects.push(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
            .to_vec(),
    );
    let cmap = tounicode_cmap();
    objects.push(format!("<< /Length {} >>\nstream\n{cmap}endstream", cmap.len()).into_bytes());
    for (page_index, lines) in pages.iter().enumerate() {
        let mut content = String::new();
        for (_, m) in marks.iter().filter(|(p, _)| *p == page_index) {
            content.push_str("0 g\n");
            for (i, d) in m.dark.iter().enumerate() {
                if *d {
                    let (col, row) = (i % m.width, i / m.width);
                    let x = m.x + col as f32 * m.module;
                    let y = m.y + (m.width - 1 - row) as f32 * m.module;
                    let _ = writeln!(content, "{x:.2} {y:.2} {:.2} {:.2} re", m.module, m.module);
                }
            }
            content.push_str("f\n");
        }
        for (size, x, y, text) in lines {
            if text.is_empty() {
                continue;
            }
            let _ = writeln!(content, "BT /F1 {size} Tf {x:.1} {y:.1} Td <{}> Tj ET", hex_ucs2(text));
        }
        let page_no = objects.len() + 1;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                page_no + 1
            )
            .into_bytes(),
        );
        objects.push(format!("<< /Length {} >>\nstream\n{content}endstream", content.len()).into_bytes());
    }
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut x = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        let _ = writeln!(x, "{o:010} 00000 n ");
    }
    let _ = write!(x, "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    out.extend_from_slice(x.as_bytes());
    out
}

/// The text lines of a PDF made by [`render`], in order (for tests and snapshots).
pub fn text_lines(pdf: &[u8]) -> Vec<String> {
    let s = String::from_utf8_lossy(pdf);
    let mut out = Vec::new();
    for part in s.split('<').skip(1) {
        if let Some((hex, rest)) = part.split_once('>') {
            if !rest.starts_with(" Tj") {
                continue;
            }
            let units: Vec<u16> =
                (0..hex.len() / 4).filter_map(|i| u16::from_str_radix(&hex[i * 4..i * 4 + 4], 16).ok()).collect();
            out.push(String::from_utf16_lossy(&units));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_by_display_width() {
        assert_eq!(wrap("一二三四五", 2.0), vec!["一二", "三四", "五"]);
        assert_eq!(wrap("ab一", 1.0), vec!["ab", "一"]);
        assert_eq!(wrap("第一行\n第二行", 10.0), vec!["第一行", "第二行"]);
    }

    #[test]
    fn renders_a_valid_looking_pdf_with_the_text() {
        let blocks = vec![
            Block::Title("收件凭证".into()),
            Block::Field("办件编号".into(), "ZRZY-20251009-0001".into()),
            Block::Paragraph("依据《中华人民共和国行政许可法》第三十二条。".into()),
        ];
        let pdf = render(&blocks);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        // The xref offsets are byte offsets: they point at the table and at the objects.
        let tail = String::from_utf8_lossy(&pdf[pdf.len() - 40..]).to_string();
        let xref_at: usize = tail.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert!(pdf[xref_at..].starts_with(b"xref"));
        let table = String::from_utf8_lossy(&pdf[xref_at..]).to_string();
        let first_offset: usize = table.lines().nth(3).unwrap()[..10].parse().unwrap();
        assert!(pdf[first_offset..].starts_with(b"1 0 obj"));
        assert_eq!(
            text_lines(&pdf),
            vec!["收件凭证", "办件编号：", "ZRZY-20251009-0001", "依据《中华人民共和国行政许可法》第三十二条。"]
        );
        // Deterministic: the same input gives the same bytes.
        assert_eq!(pdf, render(&blocks));
    }

    #[test]
    fn qr_codes_are_drawn_as_modules() {
        let pdf = render(&[Block::Qr("https://example.gov.cn/verify/ABC".into(), "扫码验证".into())]);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.matches(" re\n").count() > 100, "dark modules drawn as rectangles");
        assert_eq!(text_lines(&pdf), vec!["扫码验证"]);
    }

    #[test]
    fn long_notices_get_more_pages() {
        let blocks: Vec<Block> = (0..120).map(|i| Block::Paragraph(format!("第{i}行"))).collect();
        let pdf = render(&blocks);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 3") || text.contains("/Count 4"), "several pages");
        assert_eq!(text_lines(&pdf).len(), 120);
    }
}
