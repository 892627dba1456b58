//! Reads CSS colours in the forms a browser serializes them to: `#rgb`,
//! `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(…)` and `rgba(…)` (comma or space
//! separated, channels as numbers or percentages) and `color(srgb …)`. The
//! DOM side (`css_theme`) first hands a colour to a canvas context, which
//! turns names, `hsl()` and the like into `#rrggbb` or `rgba(…)`, and
//! `color-mix(in srgb, …)` into `color(srgb …)`; this parser only has to
//! read those.

use crate::chart::theme::Rgb;

/// A colour with its opacity (0 transparent … 1 opaque).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgba {
    pub rgb: Rgb,
    pub alpha: f64,
}

impl Rgba {
    pub const fn opaque(rgb: Rgb) -> Self {
        Rgba { rgb, alpha: 1.0 }
    }

    /// This colour painted over an opaque `below`, as the canvas would.
    pub fn over(self, below: Rgb) -> Rgb {
        let a = self.alpha.clamp(0.0, 1.0);
        let mix = |top: u8, bottom: u8| -> u8 {
            (f64::from(top) * a + f64::from(bottom) * (1.0 - a))
                .round()
                .clamp(0.0, 255.0) as u8
        };
        Rgb(
            mix(self.rgb.0, below.0),
            mix(self.rgb.1, below.1),
            mix(self.rgb.2, below.2),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColorError {
    #[error("no colour given")]
    Empty,
    #[error("“{0}” is not in a colour syntax the chart reads (#rrggbb, rgb(), rgba())")]
    Syntax(String),
    #[error("“{0}” has a channel that is not a number in range")]
    Channel(String),
}

/// Parses one colour; surrounding white space is ignored.
pub fn parse_color(text: &str) -> Result<Rgba, ColorError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ColorError::Empty);
    }
    if let Some(hex) = text.strip_prefix('#') {
        return parse_hex(hex).ok_or_else(|| ColorError::Syntax(text.to_owned()));
    }
    if let Some(args) = function_args(text, "color") {
        return match srgb_args(args) {
            Some(args) => parse_channels(args, Scale::Unit),
            None => return Err(ColorError::Syntax(text.to_owned())),
        }
        .ok_or_else(|| ColorError::Channel(text.to_owned()));
    }
    let args = function_args(text, "rgba").or_else(|| function_args(text, "rgb"));
    let Some(args) = args else {
        return Err(ColorError::Syntax(text.to_owned()));
    };
    parse_channels(args, Scale::Byte).ok_or_else(|| ColorError::Channel(text.to_owned()))
}

/// The channels of `color(srgb r g b[ / a])`; other colour spaces are not
/// read here (the DOM side rasterizes them instead).
fn srgb_args(args: &str) -> Option<&str> {
    let args = args.trim_start();
    let space = args.get(..4)?;
    let rest = &args[4..];
    (space.eq_ignore_ascii_case("srgb") && rest.starts_with(char::is_whitespace)).then_some(rest)
}

/// What a plain number channel counts up to: 255 in `rgb()`, 1 in `color()`.
#[derive(Clone, Copy)]
enum Scale {
    Byte,
    Unit,
}

/// The text between `name(` and `)`, with the name matched ASCII
/// case-insensitively (CSS function names are).
fn function_args<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let open = text.get(..name.len() + 1)?;
    if !open[..name.len()].eq_ignore_ascii_case(name) || !open.ends_with('(') {
        return None;
    }
    text[name.len() + 1..].strip_suffix(')')
}

fn parse_hex(hex: &str) -> Option<Rgba> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| u8::from_str_radix(hex.get(i..=i)?, 16).ok();
    let pair = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    // Short forms repeat each digit: #abc is #aabbcc.
    let short = |i: usize| digit(i).map(|d| d * 17);
    let (r, g, b, a) = match hex.len() {
        3 => (short(0)?, short(1)?, short(2)?, 255),
        4 => (short(0)?, short(1)?, short(2)?, short(3)?),
        6 => (pair(0)?, pair(2)?, pair(4)?, 255),
        8 => (pair(0)?, pair(2)?, pair(4)?, pair(6)?),
        _ => return None,
    };
    Some(Rgba {
        rgb: Rgb(r, g, b),
        alpha: f64::from(a) / 255.0,
    })
}

/// `r, g, b[, a]` or `r g b[ / a]`.
fn parse_channels(args: &str, scale: Scale) -> Option<Rgba> {
    let (channels, alpha): (Vec<&str>, Option<&str>) = if args.contains(',') {
        let parts: Vec<&str> = args.split(',').map(str::trim).collect();
        match parts.as_slice() {
            [r, g, b] => (vec![*r, *g, *b], None),
            [r, g, b, a] => (vec![*r, *g, *b], Some(*a)),
            _ => return None,
        }
    } else {
        let (colour, alpha) = match args.split_once('/') {
            Some((c, a)) => (c, Some(a.trim())),
            None => (args, None),
        };
        (colour.split_whitespace().collect(), alpha)
    };
    let [r, g, b] = channels.as_slice() else {
        return None;
    };
    let alpha = match alpha {
        Some(a) => parse_alpha(a)?,
        None => 1.0,
    };
    Some(Rgba {
        rgb: Rgb(channel(r, scale)?, channel(g, scale)?, channel(b, scale)?),
        alpha,
    })
}

/// A number or a percentage: an optional sign, digits, an optional
/// fraction (no exponent: browsers never write one for a colour). Read by
/// hand: `str::parse::<f64>` would bring the float parser into the wasm for
/// these few numbers.
fn number(text: &str) -> Option<(f64, bool)> {
    let text = text.trim();
    let (digits, percent) = match text.strip_suffix('%') {
        Some(d) => (d, true),
        None => (text, false),
    };
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, digits.strip_prefix('+').unwrap_or(digits)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let mut value = 0.0;
    for b in whole.bytes() {
        value = value * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 0.1;
    for b in fraction.bytes() {
        value += f64::from(b - b'0') * scale;
        scale /= 10.0;
    }
    Some((if negative { -value } else { value }, percent))
}

/// 0–255 (0–1 in `color()`) or 0%–100%; out-of-range values are clamped,
/// as CSS does.
fn channel(text: &str, scale: Scale) -> Option<u8> {
    let (value, percent) = number(text)?;
    let value = match (percent, scale) {
        (true, _) => value * 255.0 / 100.0,
        (false, Scale::Byte) => value,
        (false, Scale::Unit) => value * 255.0,
    };
    Some(value.round().clamp(0.0, 255.0) as u8)
}

/// 0–1 or 0%–100%, clamped.
fn parse_alpha(text: &str) -> Option<f64> {
    let (value, percent) = number(text)?;
    let value = if percent { value / 100.0 } else { value };
    Some(value.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(text: &str) -> Rgb {
        match parse_color(text) {
            Ok(c) => c.rgb,
            Err(e) => panic!("{text}: {e}"),
        }
    }

    #[test]
    fn reads_hex_in_every_length() {
        assert_eq!(rgb("#1a2027"), Rgb(0x1a, 0x20, 0x27));
        assert_eq!(rgb("#1A2027"), Rgb(0x1a, 0x20, 0x27));
        assert_eq!(rgb("#fff"), Rgb(255, 255, 255));
        assert_eq!(rgb("  #abc \n"), Rgb(0xaa, 0xbb, 0xcc));
        let short = parse_color("#0008").unwrap();
        assert_eq!(short.rgb, Rgb(0, 0, 0));
        assert!((short.alpha - 136.0 / 255.0).abs() < 1e-9);
        let long = parse_color("#10141880").unwrap();
        assert_eq!(long.rgb, Rgb(0x10, 0x14, 0x18));
        assert!((long.alpha - 128.0 / 255.0).abs() < 1e-9);
        assert_eq!(parse_color("#101418").unwrap().alpha, 1.0);
    }

    #[test]
    fn reads_what_a_canvas_serializes_to() {
        assert_eq!(rgb("rgb(26, 32, 39)"), Rgb(26, 32, 39));
        let c = parse_color("rgba(0, 0, 0, 0.05)").unwrap();
        assert_eq!(c.rgb, Rgb(0, 0, 0));
        assert!((c.alpha - 0.05).abs() < 1e-9);
        assert_eq!(parse_color("rgba(1, 2, 3, 0)").unwrap().alpha, 0.0);
    }

    #[test]
    fn reads_modern_and_percent_forms() {
        assert_eq!(rgb("rgb(26 32 39)"), Rgb(26, 32, 39));
        assert_eq!(rgb("RGB(26 32 39 / 50%)"), Rgb(26, 32, 39));
        assert_eq!(parse_color("rgb(26 32 39 / 50%)").unwrap().alpha, 0.5);
        assert_eq!(rgb("rgb(100%, 0%, 50%)"), Rgb(255, 0, 128));
        assert_eq!(rgb("rgb(300, -5, 12.6)"), Rgb(255, 0, 13));
        assert_eq!(parse_color("rgba(0,0,0,7)").unwrap().alpha, 1.0);
        assert!((parse_color("rgba(0,0,0,.25)").unwrap().alpha - 0.25).abs() < 1e-9);
        assert_eq!(rgb("rgb(+10, 20.49, 0.5)"), Rgb(10, 20, 1));
    }

    /// What Chromium's canvas gives back for `color-mix(in srgb, …)`.
    #[test]
    fn reads_srgb_colour_functions() {
        assert_eq!(
            rgb("color(srgb 0.149961 0.172078 0.197882)"),
            Rgb(38, 44, 50)
        );
        assert_eq!(rgb("color(SRGB 1 0% 0.5)"), Rgb(255, 0, 128));
        let c = parse_color("color(srgb 0 0 0 / 0.25)").unwrap();
        assert_eq!(c.rgb, Rgb(0, 0, 0));
        assert!((c.alpha - 0.25).abs() < 1e-9);
        for text in [
            "color(display-p3 1 0 0)",
            "color(srgb-linear 1 0 0)",
            "color(srgb)",
            "color()",
        ] {
            assert_eq!(
                parse_color(text),
                Err(ColorError::Syntax(text.to_owned())),
                "{text}"
            );
        }
        assert_eq!(
            parse_color("color(srgb 1 x 0)"),
            Err(ColorError::Channel("color(srgb 1 x 0)".into()))
        );
    }

    #[test]
    fn refuses_what_is_not_a_colour_it_reads() {
        assert_eq!(parse_color(""), Err(ColorError::Empty));
        assert_eq!(parse_color("   "), Err(ColorError::Empty));
        for text in [
            "#12",
            "#12345",
            "#ggg",
            "#1234567",
            "#ééé",
            "red",
            "hsl(0 0% 0%)",
            "oklch(0.5 0.1 200)",
            "rgb(1, 2)",
            "rgb(1 2 3",
            "rgb)",
            "rgba(1, 2, 3, 4, 5)",
        ] {
            assert!(
                matches!(
                    parse_color(text),
                    Err(ColorError::Syntax(_) | ColorError::Channel(_))
                ),
                "{text}"
            );
        }
        for text in [
            "rgb(a, b, c)",
            "rgb(1, 2, NaN)",
            "rgb(1, 2, inf)",
            "rgb(1, 2, 1e3)",
            "rgb(1, 2, .)",
            "rgb(1, 2, --3)",
            "rgba(1, 2, 3, x)",
        ] {
            assert_eq!(
                parse_color(text),
                Err(ColorError::Channel(text.to_owned())),
                "{text}"
            );
        }
    }

    #[test]
    fn translucent_colours_are_painted_over_what_is_below() {
        let white = Rgb(255, 255, 255);
        assert_eq!(Rgba::opaque(Rgb(1, 2, 3)).over(white), Rgb(1, 2, 3));
        let half_black = Rgba {
            rgb: Rgb(0, 0, 0),
            alpha: 0.5,
        };
        assert_eq!(half_black.over(white), Rgb(128, 128, 128));
        let clear = Rgba {
            rgb: Rgb(0, 0, 0),
            alpha: 0.0,
        };
        assert_eq!(clear.over(Rgb(9, 8, 7)), Rgb(9, 8, 7));
    }
}
