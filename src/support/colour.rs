//! CSS colours as a community writes them (`accent:`), and WCAG contrast:
//! an accent must stay readable as link text in both colour schemes.

use std::fmt;

/// An opaque sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(into = "String")]
pub(crate) struct Rgb {
    r: u8,
    g: u8,
    b: u8,
}

/// The contrast WCAG AA asks of body-size text (1.4.3).
pub(crate) const AA_CONTRAST: f64 = 4.5;

impl Rgb {
    pub(crate) const fn new(r: u8, g: u8, b: u8) -> Rgb {
        Rgb { r, g, b }
    }

    /// `#rgb`, `#rrggbb`, `rgb(r g b)` / `rgb(r, g, b)` (numbers or
    /// percentages) or `hsl(h s% l%)`; an alpha is refused, since text on
    /// any background must keep the contrast checked here.
    pub(crate) fn parse(text: &str) -> Result<Rgb, &'static str> {
        let text = text.trim().to_ascii_lowercase();
        if let Some(hex) = text.strip_prefix('#') {
            return parse_hex(hex);
        }
        let (name, inner) = text
            .strip_suffix(')')
            .and_then(|t| t.split_once('('))
            .ok_or("is not a colour practica reads")?;
        let parts: Vec<&str> = inner
            .split([',', ' ', '/'])
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() != 3 {
            return Err("needs three values, and no transparency");
        }
        match name.trim() {
            "rgb" => {
                let channel = |p: &str| channel(p).ok_or("has a channel outside 0–255 or 0–100%");
                Ok(Rgb::new(
                    channel(parts[0])?,
                    channel(parts[1])?,
                    channel(parts[2])?,
                ))
            }
            "hsl" => hsl(parts[0], parts[1], parts[2])
                .ok_or("has a hue, saturation or lightness out of range"),
            _ => Err("is not a colour practica reads"),
        }
    }

    /// Relative luminance (WCAG 2.x).
    fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// The contrast ratio of two colours, from 1 to 21.
    pub(crate) fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Lowest contrast against any of `backgrounds`.
    pub(crate) fn worst_contrast(self, backgrounds: &[Rgb]) -> f64 {
        backgrounds
            .iter()
            .map(|&bg| self.contrast(bg))
            .fold(f64::INFINITY, f64::min)
    }

    /// `self` mixed towards `to` by `t` (0 to 1).
    fn mix(self, to: Rgb, t: f64) -> Rgb {
        let channel =
            |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb::new(
            channel(self.r, to.r),
            channel(self.g, to.g),
            channel(self.b, to.b),
        )
    }

    /// The nearest colour to `self` with AA contrast against every one of
    /// `backgrounds` (all light or all dark): mixed towards black on light
    /// backgrounds and towards white on dark ones, as little as passes.
    pub(crate) fn readable_on(self, backgrounds: &[Rgb], dark: bool) -> Rgb {
        let target = if dark {
            Rgb::new(255, 255, 255)
        } else {
            Rgb::new(0, 0, 0)
        };
        (0..=100)
            .map(|step| self.mix(target, f64::from(step) / 100.0))
            .find(|c| c.worst_contrast(backgrounds) >= AA_CONTRAST)
            .unwrap_or(target)
    }

    /// Black or white, whichever reads better on `self` (button text).
    pub(crate) fn ink(self) -> Rgb {
        let (black, white) = (Rgb::new(0, 0, 0), Rgb::new(255, 255, 255));
        if self.contrast(black) >= self.contrast(white) {
            black
        } else {
            white
        }
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

impl From<Rgb> for String {
    fn from(colour: Rgb) -> String {
        colour.to_string()
    }
}

fn parse_hex(hex: &str) -> Result<Rgb, &'static str> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("has a character that is not a hex digit");
    }
    let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).unwrap_or(0);
    let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
    match hex.len() {
        3 => Ok(Rgb::new(digit(0) * 17, digit(1) * 17, digit(2) * 17)),
        6 => Ok(Rgb::new(pair(0), pair(2), pair(4))),
        4 | 8 => Err("has transparency, which would change its contrast on every background"),
        _ => Err("needs 3 or 6 hex digits, like #1d6fb8"),
    }
}

/// `rgb()`'s channel: 0–255, or a percentage.
fn channel(text: &str) -> Option<u8> {
    let value = match text.strip_suffix('%') {
        Some(percent) => percent.parse::<f64>().ok()? * 2.55,
        None => text.parse::<f64>().ok()?,
    };
    (0.0..=255.0).contains(&value).then(|| value.round() as u8)
}

fn hsl(h: &str, s: &str, l: &str) -> Option<Rgb> {
    let hue: f64 = h.trim_end_matches("deg").parse().ok()?;
    let percent = |t: &str| {
        let v: f64 = t.strip_suffix('%').unwrap_or(t).parse().ok()?;
        (0.0..=100.0).contains(&v).then_some(v / 100.0)
    };
    let (s, l) = (percent(s)?, percent(l)?);
    if !hue.is_finite() {
        return None;
    }
    let hue = hue.rem_euclid(360.0) / 30.0;
    let a = s * l.min(1.0 - l);
    let f = |n: f64| {
        let k = (n + hue) % 12.0;
        let v = l - a * (k - 3.0).min(9.0 - k).clamp(-1.0, 1.0);
        (v * 255.0).round() as u8
    };
    Some(Rgb::new(f(0.0), f(8.0), f(4.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_css_forms() {
        let teal = Rgb::new(0x1d, 0x6f, 0xb8);
        assert_eq!(Rgb::parse("#1D6FB8"), Ok(teal));
        assert_eq!(Rgb::parse("rgb(29, 111, 184)"), Ok(teal));
        assert_eq!(Rgb::parse("rgb(29 111 184)"), Ok(teal));
        assert_eq!(Rgb::parse("#fff"), Ok(Rgb::new(255, 255, 255)));
        assert_eq!(Rgb::parse("hsl(0 100% 50%)"), Ok(Rgb::new(255, 0, 0)));
        assert_eq!(Rgb::parse("hsl(120, 100%, 25%)"), Ok(Rgb::new(0, 128, 0)));
        for bad in [
            "teal",
            "#12",
            "#ggg",
            "#1d6fb880",
            "rgb(300 0 0)",
            "rgb(1 2)",
            "hsl(x 1% 1%)",
        ] {
            assert!(Rgb::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn contrast_matches_wcag_and_variants_pass() {
        let (black, white) = (Rgb::new(0, 0, 0), Rgb::new(255, 255, 255));
        assert!((black.contrast(white) - 21.0).abs() < 1e-9);
        // #777 on white is the textbook near miss: 4.48.
        let grey = Rgb::new(0x77, 0x77, 0x77);
        assert!(grey.contrast(white) < AA_CONTRAST);
        let fixed = grey.readable_on(&[white], false);
        assert!(fixed.contrast(white) >= AA_CONTRAST);
        assert_eq!(Rgb::new(0x1d, 0x5f, 0xa8).ink(), white);
        assert_eq!(Rgb::new(0xd4, 0xa0, 0x17).ink(), black);
        let dark_bg = Rgb::new(0x11, 0x16, 0x14);
        let navy = Rgb::new(0x1d, 0x3f, 0x8a);
        let lifted = navy.readable_on(&[dark_bg], true);
        assert!(lifted.contrast(dark_bg) >= AA_CONTRAST, "{lifted}");
        assert_ne!(lifted, navy);
    }
}
