//! Chart colours for the light and dark themes. The palette is the
//! Okabe–Ito colour-blind-safe set, tuned for contrast on each background.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn css(self) -> String {
        format!("rgb({},{},{})", self.0, self.1, self.2)
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
    pub font_family: &'static str,
}

const FONT: &str = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif";

impl ChartTheme {
    pub fn light() -> Self {
        ChartTheme {
            background: Rgb(255, 255, 255),
            grid: Rgb(234, 232, 227),
            axis: Rgb(120, 124, 132),
            text: Rgb(87, 92, 102),
            weekend: Rgb(246, 244, 240),
            palette: [
                Rgb(0, 114, 178),   // blue
                Rgb(213, 94, 0),    // vermillion
                Rgb(0, 158, 115),   // bluish green
                Rgb(204, 121, 167), // reddish purple
                Rgb(86, 180, 233),  // sky blue
                Rgb(180, 140, 0),   // dark yellow
            ],
            font_family: FONT,
        }
    }

    pub fn dark() -> Self {
        ChartTheme {
            background: Rgb(30, 33, 38),
            grid: Rgb(52, 57, 64),
            axis: Rgb(140, 147, 158),
            text: Rgb(170, 177, 188),
            weekend: Rgb(37, 41, 47),
            palette: [
                Rgb(86, 180, 233),
                Rgb(240, 140, 60),
                Rgb(60, 200, 150),
                Rgb(224, 150, 196),
                Rgb(150, 210, 250),
                Rgb(240, 210, 80),
            ],
            font_family: FONT,
        }
    }

    /// The colour of a palette slot (wrapping).
    pub fn color(&self, slot: usize) -> Rgb {
        self.palette[slot % self.palette.len()]
    }
}
