//! Charts as inline SVG, drawn here (no chart library, nothing fetched),
//! and the data table each one has as its twin. Colours are classes the
//! theme gives light and dark values; text takes the page's colour.

use std::fmt::Write;

use crate::support::markdown::escape;

/// One series of a chart: a name for its legend and a value per category.
pub(crate) struct Series {
    pub(crate) name: String,
    pub(crate) values: Vec<usize>,
}

impl Series {
    pub(crate) fn new(name: &str, values: Vec<usize>) -> Series {
        Series {
            name: name.to_string(),
            values,
        }
    }
}

/// The drawing's size in its own units; the page scales it to its width.
/// Text is 11 units: about 12 px on a phone, 16 px at the theme's widest.
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 160.0;
const LEFT: f64 = 26.0;
const RIGHT: f64 = 4.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 20.0;
/// About one label's width and a gap: labels closer than this are
/// thinned out. The newest label may be pushed left off the edge by up
/// to half its width, which this leaves room for.
const LABEL_ROOM: f64 = 72.0;

/// Stacked bars, one per category, the series stacked in order (`s1`,
/// `s2`… classes). `id` names the chart for its title and the table.
pub(crate) fn stacked_bars(id: &str, title: &str, labels: &[String], series: &[Series]) -> String {
    let totals: Vec<usize> = (0..labels.len())
        .map(|i| {
            series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let top = nice_ceiling(totals.iter().copied().max().unwrap_or(0));
    let plot = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let band = plot.0 / labels.len().max(1) as f64;
    let scale = plot.1 / top as f64;
    let mut svg = open(id, title);
    axis(&mut svg, top, scale);
    for (i, label) in labels.iter().enumerate() {
        let x = LEFT + band * i as f64 + band * 0.15;
        let mut base = TOP + plot.1;
        for (n, s) in series.iter().enumerate() {
            let value = s.values.get(i).copied().unwrap_or(0);
            if value == 0 {
                continue;
            }
            let h = value as f64 * scale;
            base -= h;
            let _ = write!(
                svg,
                r#"<rect class="s{}" x="{x:.1}" y="{base:.1}" width="{:.1}" height="{h:.1}"><title>{}: {} {value}</title></rect>"#,
                n + 1,
                band * 0.7,
                escape(label),
                escape(&s.name),
            );
        }
        if shows_label(i, labels.len(), band) {
            let (x, anchor) = label_place(LEFT + band * (i as f64 + 0.5), label);
            let _ = write!(
                svg,
                r#"<text class="chart-label" x="{x:.1}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
                HEIGHT - 6.0,
                escape(label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Pairs of horizontal bars, one pair per row, the row's name above it:
/// long topic names fit a phone's width.
pub(crate) fn paired_bars(id: &str, title: &str, rows: &[String], series: &[Series]) -> String {
    const ROW: f64 = 34.0;
    let height = ROW * rows.len() as f64 + 8.0;
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let scale = (WIDTH - 30.0) / nice_ceiling(max) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{}</title>"#,
        escape(title)
    );
    for (i, row) in rows.iter().enumerate() {
        let y = ROW * i as f64 + 12.0;
        let _ = write!(
            svg,
            r#"<text class="chart-label" x="0" y="{y:.1}">{}</text>"#,
            escape(row)
        );
        for (n, s) in series.iter().enumerate() {
            let value = s.values.get(i).copied().unwrap_or(0);
            let bar_y = y + 3.0 + 9.0 * n as f64;
            let w = value as f64 * scale;
            let _ = write!(
                svg,
                r#"<rect class="s{}" x="0" y="{bar_y:.1}" width="{w:.1}" height="7"><title>{}: {} {value}</title></rect><text class="chart-value" x="{:.1}" y="{:.1}">{value}</text>"#,
                n + 1,
                escape(row),
                escape(&s.name),
                w + 4.0,
                bar_y + 7.0,
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn open(id: &str, title: &str) -> String {
    format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{}</title>"#,
        escape(title)
    )
}

/// The value axis: lines at zero, half and the top, with their values.
fn axis(svg: &mut String, top: usize, scale: f64) {
    let bottom = HEIGHT - BOTTOM;
    let mut marks = vec![0, top];
    if top.is_multiple_of(2) && top > 1 {
        marks.insert(1, top / 2);
    }
    for mark in marks {
        let y = bottom - mark as f64 * scale;
        let _ = write!(
            svg,
            r#"<line class="chart-grid" x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/><text class="chart-label" x="{:.1}" y="{:.1}" text-anchor="end">{mark}</text>"#,
            WIDTH - RIGHT,
            LEFT - 4.0,
            y + 4.0
        );
    }
}

/// Where a label centred on `x` goes: against an edge it would cross.
fn label_place(x: f64, label: &str) -> (f64, &'static str) {
    // About 6 units a character at 11 units a line.
    let half = label.chars().count() as f64 * 3.0;
    if x + half > WIDTH {
        (WIDTH, "end")
    } else if x - half < 0.0 {
        (0.0, "start")
    } else {
        (x, "middle")
    }
}

/// Whether the label of category `i` of `n` is drawn: every one where
/// there is room, else every k-th, counted back from the newest.
fn shows_label(i: usize, n: usize, band: f64) -> bool {
    let every = (LABEL_ROOM / band).ceil().max(1.0) as usize;
    (n - 1 - i).is_multiple_of(every)
}

/// The smallest of 1, 2, 5 × 10ⁿ not below `max` (at least 1).
fn nice_ceiling(max: usize) -> usize {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max.max(1) {
                return m * step;
            }
        }
        step *= 10;
    }
}

/// A table with a caption, column heads, and rows whose first cell heads
/// the row. Cells are text; numbers are aligned by the theme.
pub(crate) fn table(caption: &str, heads: &[String], rows: &[Vec<String>]) -> String {
    let mut html = format!(
        r#"<div class="table-scroll" role="region" aria-label="{0}" tabindex="0"><table class="insights-table"><caption>{0}</caption><thead><tr>"#,
        escape(caption)
    );
    for head in heads {
        let _ = write!(html, r#"<th scope="col">{}</th>"#, escape(head));
    }
    html.push_str("</tr></thead><tbody>");
    for row in rows {
        html.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let _ = match i {
                0 => write!(html, r#"<th scope="row">{}</th>"#, escape(cell)),
                _ => write!(html, "<td>{}</td>", escape(cell)),
            };
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></div>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_ends_at_a_round_number() {
        assert_eq!(nice_ceiling(0), 1);
        assert_eq!(nice_ceiling(3), 5);
        assert_eq!(nice_ceiling(14), 20);
        assert_eq!(nice_ceiling(51), 100);
    }

    #[test]
    fn bars_are_as_tall_as_their_values() {
        let labels = vec!["Q1".to_string(), "Q2".to_string()];
        let svg = stacked_bars("c", "T <x>", &labels, &[Series::new("a", vec![1, 5])]);
        // 5 is the top: its bar fills the plot, 132 units; 1 is a fifth.
        assert!(
            svg.contains(r#"y="8.0" width="101.5" height="132.0""#),
            "{svg}"
        );
        assert!(svg.contains(r#"height="26.4""#), "{svg}");
        assert!(svg.contains("<title id=\"c-title\">T &lt;x&gt;</title>"));
    }
}
