//! Chart colours: the built-in light and dark themes, and a theme read from
//! the page's custom properties ([`ChartTheme::from_lookup`]), so a host's
//! `--cca-*` colours reach the canvas as they reach the HTML. The built-in
//! palette is the Okabe–Ito colour-blind-safe set, tuned for contrast on each
//! background; style/app.css carries the same values as the variables'
//! defaults (a test below checks they agree).

use crate::chart::color::{parse_color, ColorError, Rgba};

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn css(self) -> String {
        format!("rgb({},{},{})", self.0, self.1, self.2)
    }

    /// `weight` of this colour and the rest of `other`, as CSS
    /// `color-mix(in srgb, self weight, other)`.
    pub fn mix(self, other: Rgb, weight: f64) -> Rgb {
        Rgba {
            rgb: self,
            alpha: weight,
        }
        .over(other)
    }

    /// Darker than mid-grey, by the luma of the encoded channels (Rec. 601
    /// weights): enough to tell a dark surface from a light one.
    pub fn is_dark(self) -> bool {
        299 * u32::from(self.0) + 587 * u32::from(self.1) + 114 * u32::from(self.2) < 128_000
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartTheme {
    pub background: Rgb,
    pub grid: Rgb,
    pub axis: Rgb,
    pub text: Rgb,
    pub weekend: Rgb,
    pub palette: [Rgb; 6],
    /// A CSS font-family list, e.g. `Inter, system-ui, sans-serif`.
    pub font_family: String,
}

/// The page colours a chart's own colours are made from: the same ones the
/// HTML around it uses (`--_surface`, `--_text`, `--_muted`, `--_border`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageColors {
    pub surface: Rgb,
    pub text: Rgb,
    pub muted: Rgb,
    pub border: Rgb,
}

/// style/app.css's defaults for the light theme.
pub const LIGHT_PAGE: PageColors = PageColors {
    surface: Rgb(0xff, 0xff, 0xff),
    text: Rgb(0x1d, 0x1f, 0x23),
    muted: Rgb(0x5c, 0x63, 0x70),
    border: Rgb(0xde, 0xdc, 0xd6),
};

/// style/app.css's defaults for the dark theme.
pub const DARK_PAGE: PageColors = PageColors {
    surface: Rgb(0x1e, 0x21, 0x26),
    text: Rgb(0xe7, 0xe9, 0xec),
    muted: Rgb(0xa3, 0xaa, 0xb5),
    border: Rgb(0x34, 0x3a, 0x42),
};

pub const LIGHT_PALETTE: [Rgb; 6] = [
    Rgb(0, 114, 178),   // blue
    Rgb(213, 94, 0),    // vermillion
    Rgb(0, 158, 115),   // bluish green
    Rgb(204, 121, 167), // reddish purple
    Rgb(86, 180, 233),  // sky blue
    Rgb(180, 140, 0),   // dark yellow
];

/// The same hues, lighter, for dark backgrounds. The fifth is a violet
/// rather than a paler sky blue: on a dark surface that one was hard to tell
/// from the first (the accept-rate chart draws its overall line in the
/// first, a tool's in the fifth).
pub const DARK_PALETTE: [Rgb; 6] = [
    Rgb(86, 180, 233),
    Rgb(240, 140, 60),
    Rgb(60, 200, 150),
    Rgb(224, 150, 196),
    Rgb(160, 130, 240),
    Rgb(240, 210, 80),
];

const FONT: &str = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif";

/// The custom properties a chart reads on `.cca-root`. style/app.css defines
/// each from the host's `--cca-*` (or `--cca-dark-*`) value, else from the
/// built-in theme, so reading them resolved on the root gives what the HTML
/// around the chart uses.
pub mod vars {
    pub const SURFACE: &str = "--_surface";
    pub const TEXT: &str = "--_text";
    pub const MUTED: &str = "--_muted";
    pub const BORDER: &str = "--_border";
    /// Set only by a host (`--cca-chart-grid`); else made from the page colours.
    pub const GRID: &str = "--_chart-grid";
    /// Set only by a host (`--cca-chart-weekend`); else made from the page colours.
    pub const WEEKEND: &str = "--_chart-weekend";
    pub const SERIES: [&str; 6] = [
        "--_chart-1",
        "--_chart-2",
        "--_chart-3",
        "--_chart-4",
        "--_chart-5",
        "--_chart-6",
    ];
    pub const FONT: &str = "--_font";

    /// Every variable holding a colour.
    pub const COLORS: [&str; 12] = [
        SURFACE, TEXT, MUTED, BORDER, GRID, WEEKEND, SERIES[0], SERIES[1], SERIES[2], SERIES[3],
        SERIES[4], SERIES[5],
    ];
}

/// A variable whose value could not be used (its built-in colour or font
/// was drawn instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeProblem {
    #[error("{var}: {error}")]
    Color {
        var: &'static str,
        error: ColorError,
    },
    #[error("{var}: “{value}” is not a font-family list")]
    Font { var: &'static str, value: String },
}

impl ChartTheme {
    pub fn light() -> Self {
        Self::from_page(&LIGHT_PAGE, LIGHT_PALETTE, FONT.to_owned())
    }

    pub fn dark() -> Self {
        Self::from_page(&DARK_PAGE, DARK_PALETTE, FONT.to_owned())
    }

    /// The built-in theme: [`ChartTheme::dark`] or [`ChartTheme::light`].
    pub fn built_in(dark: bool) -> Self {
        if dark {
            Self::dark()
        } else {
            Self::light()
        }
    }

    /// A chart on `page`: its background is the surface the chart sits on,
    /// its lines and labels are the page's border and muted text toned
    /// towards each other, so any palette a host gives yields a matching
    /// chart. (The mixes were chosen to reproduce the hand-tuned colours the
    /// built-in themes had, to a level or two.)
    pub fn from_page(page: &PageColors, palette: [Rgb; 6], font_family: String) -> Self {
        // Thin lines on a dark surface need the border's full weight to show.
        let grid_weight = if page.surface.is_dark() { 1.0 } else { 0.65 };
        ChartTheme {
            background: page.surface,
            grid: page.border.mix(page.surface, grid_weight),
            axis: page.muted.mix(page.border, 0.79),
            text: page.muted.mix(page.text, 0.89),
            weekend: page.border.mix(page.surface, 0.32),
            palette,
            font_family,
        }
    }

    /// The theme `lookup` describes: it gives a variable of [`vars`] by name
    /// (an empty string when unset). Anything unset or unreadable keeps the
    /// built-in light or dark value, and what was unreadable is reported. A
    /// translucent colour is painted over the chart's background (the
    /// background over the built-in one), so the theme stays opaque as the
    /// drawing expects.
    pub fn from_lookup(dark: bool, lookup: impl Fn(&str) -> String) -> (Self, Vec<ThemeProblem>) {
        let (page, palette) = if dark {
            (DARK_PAGE, DARK_PALETTE)
        } else {
            (LIGHT_PAGE, LIGHT_PALETTE)
        };
        let mut problems = Vec::new();
        let mut read = |var: &'static str, below: Rgb| -> Option<Rgb> {
            match parse_color(&lookup(var)) {
                Ok(color) => Some(color.over(below)),
                // Unset is normal (no host value, or no stylesheet): no report.
                Err(ColorError::Empty) => None,
                Err(error) => {
                    problems.push(ThemeProblem::Color { var, error });
                    None
                }
            }
        };
        let surface = read(vars::SURFACE, page.surface).unwrap_or(page.surface);
        let mut color = |var| read(var, surface);
        let page = PageColors {
            surface,
            text: color(vars::TEXT).unwrap_or(page.text),
            muted: color(vars::MUTED).unwrap_or(page.muted),
            border: color(vars::BORDER).unwrap_or(page.border),
        };
        let grid = color(vars::GRID);
        let weekend = color(vars::WEEKEND);
        let mut palette = palette;
        for (slot, var) in palette.iter_mut().zip(vars::SERIES) {
            *slot = color(var).unwrap_or(*slot);
        }
        let value = lookup(vars::FONT);
        let font = match font_family(&value) {
            Some(family) => family.to_owned(),
            None => {
                if !value.trim().is_empty() {
                    problems.push(ThemeProblem::Font {
                        var: vars::FONT,
                        value: value.trim().to_owned(),
                    });
                }
                FONT.to_owned()
            }
        };
        let mut theme = Self::from_page(&page, palette, font);
        theme.grid = grid.unwrap_or(theme.grid);
        theme.weekend = weekend.unwrap_or(theme.weekend);
        (theme, problems)
    }

    /// The colour of a palette slot (wrapping).
    pub fn color(&self, slot: usize) -> Rgb {
        self.palette[slot % self.palette.len()]
    }
}

/// `value` as a font-family list for the canvas font shorthand, or `None`
/// when it is empty or could break out of it (the shorthand is built as
/// `style size family`; a `;`, brace or line break is never part of a family).
fn font_family(value: &str) -> Option<&str> {
    let value = value.trim();
    let safe = !value.is_empty()
        && value.len() <= 400
        && !value
            .chars()
            .any(|c| matches!(c, ';' | '{' | '}' | '\\') || c.is_control());
    safe.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lookup over `(name, value)` pairs; other names are unset.
    fn vars_of<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_default()
        }
    }

    /// The colours the built-in themes had when they were hand-tuned: the
    /// mixes of `from_page` stay within two levels of them.
    #[test]
    fn built_in_themes_keep_their_hand_tuned_colours() {
        let close = |a: Rgb, b: Rgb| {
            let d = |x: u8, y: u8| x.abs_diff(y);
            d(a.0, b.0) <= 2 && d(a.1, b.1) <= 2 && d(a.2, b.2) <= 2
        };
        let light = ChartTheme::light();
        let dark = ChartTheme::dark();
        for (theme, background, grid, axis, text, weekend) in [
            (
                &light,
                Rgb(255, 255, 255),
                Rgb(234, 232, 227),
                Rgb(120, 124, 132),
                Rgb(87, 92, 102),
                Rgb(246, 244, 240),
            ),
            (
                &dark,
                Rgb(30, 33, 38),
                Rgb(52, 57, 64),
                Rgb(140, 147, 158),
                Rgb(170, 177, 188),
                Rgb(37, 41, 47),
            ),
        ] {
            assert_eq!(theme.background, background);
            for (name, got, want) in [
                ("grid", theme.grid, grid),
                ("axis", theme.axis, axis),
                ("text", theme.text, text),
                ("weekend", theme.weekend, weekend),
            ] {
                assert!(close(got, want), "{name}: {got:?} vs {want:?}");
            }
        }
        assert_eq!(light.palette[0], Rgb(0, 114, 178));
        assert_eq!(dark.palette[0], Rgb(86, 180, 233));
        assert_eq!(ChartTheme::built_in(true), dark);
        assert_eq!(ChartTheme::built_in(false), light);
    }

    #[test]
    fn mixing_and_darkness() {
        let white = Rgb(255, 255, 255);
        let black = Rgb(0, 0, 0);
        assert_eq!(white.mix(black, 1.0), white);
        assert_eq!(white.mix(black, 0.0), black);
        assert_eq!(white.mix(black, 0.5), Rgb(128, 128, 128));
        assert!(black.is_dark() && Rgb(0x1a, 0x20, 0x27).is_dark() && DARK_PAGE.surface.is_dark());
        assert!(
            !white.is_dark() && !LIGHT_PAGE.surface.is_dark() && !Rgb(0xf0, 0xd2, 0x50).is_dark()
        );
    }

    /// CIE76 colour difference (ΔE*ab) of two sRGB colours.
    fn delta_e(a: Rgb, b: Rgb) -> f64 {
        fn lab(c: Rgb) -> [f64; 3] {
            let lin = |v: u8| {
                let v = f64::from(v) / 255.0;
                if v <= 0.04045 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            let (r, g, b) = (lin(c.0), lin(c.1), lin(c.2));
            let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
            let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
            let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
            let f = |t: f64| {
                if t > 0.008856 {
                    t.cbrt()
                } else {
                    7.787 * t + 16.0 / 116.0
                }
            };
            [
                116.0 * f(y) - 16.0,
                500.0 * (f(x) - f(y)),
                200.0 * (f(y) - f(z)),
            ]
        }
        let (a, b) = (lab(a), lab(b));
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    /// Every two series of a built-in palette can be told apart, and so can
    /// a light (secondary) line from the strong one drawn in the first slot.
    #[test]
    fn series_colours_stay_apart_in_both_themes() {
        use crate::chart::draw::series_color;
        use crate::chart::spec::{AxisSide, SeriesKind, SeriesSpec, Weight};
        for theme in [ChartTheme::light(), ChartTheme::dark()] {
            for i in 0..6 {
                for j in i + 1..6 {
                    let d = delta_e(theme.palette[i], theme.palette[j]);
                    assert!(d >= 25.0, "slots {i} and {j}: ΔE {d:.1} in {theme:?}");
                }
                let d = delta_e(theme.palette[i], theme.background);
                assert!(d >= 45.0, "slot {i} on the background: ΔE {d:.1}");
            }
            let strong = theme.palette[0];
            for slot in 1..6 {
                let mut tool =
                    SeriesSpec::new("t", "t", SeriesKind::Line, AxisSide::Left, vec![], slot);
                tool.weight = Weight::Light;
                let d = delta_e(strong, series_color(&theme, &tool));
                assert!(
                    d >= 25.0,
                    "slot {slot}, light, vs the strong line: ΔE {d:.1}"
                );
            }
        }
        // The dark palette's old fifth colour was too close to its first.
        assert!(delta_e(Rgb(150, 210, 250), DARK_PALETTE[0]) < 20.0);
    }

    #[test]
    fn nothing_set_is_the_built_in_theme_and_no_problem() {
        for dark in [false, true] {
            let (theme, problems) = ChartTheme::from_lookup(dark, |_| String::new());
            assert_eq!(theme, ChartTheme::built_in(dark));
            assert!(problems.is_empty(), "{problems:?}");
        }
    }

    #[test]
    fn the_stylesheet_defaults_read_back_give_the_built_in_theme() {
        let hex = |c: Rgb| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        for (dark, page, palette) in [
            (false, LIGHT_PAGE, LIGHT_PALETTE),
            (true, DARK_PAGE, DARK_PALETTE),
        ] {
            let mut pairs: Vec<(String, String)> = vec![
                (vars::SURFACE.into(), hex(page.surface)),
                (vars::TEXT.into(), hex(page.text)),
                (vars::MUTED.into(), hex(page.muted)),
                (vars::BORDER.into(), hex(page.border)),
                (vars::FONT.into(), FONT.into()),
            ];
            pairs.extend(
                vars::SERIES
                    .iter()
                    .zip(palette)
                    .map(|(v, c)| ((*v).into(), hex(c))),
            );
            let lookup = |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let (theme, problems) = ChartTheme::from_lookup(dark, lookup);
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(theme, ChartTheme::built_in(dark));
        }
    }

    #[test]
    fn a_host_palette_reaches_every_chart_colour_and_the_font() {
        let pairs = [
            (vars::SURFACE, "#1a2027"),
            (vars::TEXT, " #e6e6e6 "),
            (vars::MUTED, "rgb(150, 160, 170)"),
            (vars::BORDER, "#2f3843"),
            ("--_chart-1", "#ff0000"),
            ("--_chart-2", "#00ff00"),
            ("--_chart-3", "#0000ff"),
            ("--_chart-4", "#111111"),
            ("--_chart-5", "#222222"),
            ("--_chart-6", "#333333"),
            (vars::FONT, r#" "Inter", system-ui, sans-serif "#),
        ];
        // The light built-in theme underneath: the host's dark palette still wins.
        let (theme, problems) = ChartTheme::from_lookup(false, vars_of(&pairs));
        assert!(problems.is_empty(), "{problems:?}");
        let surface = Rgb(0x1a, 0x20, 0x27);
        let border = Rgb(0x2f, 0x38, 0x43);
        let muted = Rgb(150, 160, 170);
        assert_eq!(theme.background, surface);
        // A dark surface: the grid is the host's border itself.
        assert_eq!(theme.grid, border);
        assert_eq!(theme.axis, muted.mix(border, 0.79));
        assert_eq!(theme.text, muted.mix(Rgb(0xe6, 0xe6, 0xe6), 0.89));
        assert_eq!(theme.weekend, border.mix(surface, 0.32));
        assert!(theme.weekend.is_dark() && theme.text != ChartTheme::light().text);
        assert_eq!(
            theme.palette,
            [
                Rgb(255, 0, 0),
                Rgb(0, 255, 0),
                Rgb(0, 0, 255),
                Rgb(0x11, 0x11, 0x11),
                Rgb(0x22, 0x22, 0x22),
                Rgb(0x33, 0x33, 0x33)
            ]
        );
        assert_eq!(theme.font_family, r#""Inter", system-ui, sans-serif"#);
    }

    #[test]
    fn grid_and_weekend_variables_win_over_the_mixes() {
        let pairs = [
            (vars::SURFACE, "#1a2027"),
            (vars::GRID, "#405060"),
            (vars::WEEKEND, "#202830"),
        ];
        let (theme, _) = ChartTheme::from_lookup(true, vars_of(&pairs));
        assert_eq!(theme.grid, Rgb(0x40, 0x50, 0x60));
        assert_eq!(theme.weekend, Rgb(0x20, 0x28, 0x30));
    }

    #[test]
    fn unreadable_values_fall_back_one_by_one_and_are_reported() {
        let pairs = [
            (vars::SURFACE, "#1a2027"),
            (vars::BORDER, "not a colour"),
            ("--_chart-2", "#12"),
            ("--_chart-3", "#00ff00"),
            (vars::FONT, "Inter; color: red"),
        ];
        let (theme, problems) = ChartTheme::from_lookup(true, vars_of(&pairs));
        let surface = Rgb(0x1a, 0x20, 0x27);
        assert_eq!(theme.background, surface);
        // The built-in dark border, mixed with the host's surface.
        assert_eq!(theme.weekend, DARK_PAGE.border.mix(surface, 0.32));
        assert_eq!(theme.palette[0], DARK_PALETTE[0], "unset");
        assert_eq!(theme.palette[1], DARK_PALETTE[1], "unreadable");
        assert_eq!(theme.palette[2], Rgb(0, 255, 0));
        assert_eq!(theme.font_family, FONT);
        assert_eq!(
            problems,
            [
                ThemeProblem::Color {
                    var: vars::BORDER,
                    error: ColorError::Syntax("not a colour".into())
                },
                ThemeProblem::Color {
                    var: "--_chart-2",
                    error: ColorError::Syntax("#12".into())
                },
                ThemeProblem::Font {
                    var: vars::FONT,
                    value: "Inter; color: red".into()
                },
            ]
        );
        assert_eq!(
            problems[0].to_string(),
            "--_border: “not a colour” is not in a colour syntax the chart reads (#rrggbb, rgb(), rgba())"
        );
    }

    #[test]
    fn translucent_colours_are_painted_over_the_background() {
        let pairs = [
            (vars::SURFACE, "rgba(0, 0, 0, 0.5)"),
            (vars::WEEKEND, "rgba(255, 255, 255, 0.1)"),
            (vars::GRID, "rgba(0, 0, 0, 0)"),
        ];
        let (theme, problems) = ChartTheme::from_lookup(false, vars_of(&pairs));
        assert!(problems.is_empty(), "{problems:?}");
        // Half black over the built-in white.
        assert_eq!(theme.background, Rgb(128, 128, 128));
        // A tenth of white over that grey.
        assert_eq!(theme.weekend, Rgb(141, 141, 141));
        // Fully transparent: the background shows.
        assert_eq!(theme.grid, theme.background);
    }

    #[test]
    fn font_families_that_could_break_the_shorthand_are_refused() {
        assert_eq!(
            font_family("  Inter, sans-serif "),
            Some("Inter, sans-serif")
        );
        assert_eq!(
            font_family(r#""Segoe UI", Roboto"#),
            Some(r#""Segoe UI", Roboto"#)
        );
        for bad in ["", "   ", "a;b", "a{b}", "a\nb", "a\\62", &"x".repeat(401)] {
            assert_eq!(font_family(bad), None, "{bad:?}");
        }
    }

    /// style/app.css declares the chart palette's defaults and the page
    /// colours the chart is made from with the built-in values, so an app
    /// without host colours draws the built-in themes.
    #[test]
    fn the_stylesheet_declares_the_built_in_values() {
        let css = include_str!("../../../style/app.css");
        let hex = |c: Rgb| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        for (slot, (light, dark)) in LIGHT_PALETTE.iter().zip(DARK_PALETTE).enumerate() {
            let n = slot + 1;
            for rule in [
                format!("--_chart-{n}: var(--cca-chart-{n}, {});", hex(*light)),
                format!("--_chart-{n}: var(--cca-dark-chart-{n}, {});", hex(dark)),
            ] {
                assert!(css.contains(&rule), "app.css lacks {rule}");
            }
        }
        for (prefix, page) in [("--cca-", LIGHT_PAGE), ("--cca-dark-", DARK_PAGE)] {
            for (name, color) in [
                ("surface", page.surface),
                ("text", page.text),
                ("muted", page.muted),
                ("border", page.border),
            ] {
                // The built-in value is the innermost fallback.
                let head = format!("--_{name}: var({prefix}{name},");
                let rule = css
                    .lines()
                    .map(str::trim)
                    .find(|l| l.starts_with(&head))
                    .unwrap_or_else(|| panic!("app.css lacks {head}"));
                assert!(
                    rule.ends_with(&format!("{});", hex(color)))
                        || rule.ends_with(&format!("{}));", hex(color))),
                    "{rule}"
                );
            }
        }
    }
}
