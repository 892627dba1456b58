//! The bare page: the floor any page load has on this machine. Its inline
//! script paints a few bars on one canvas and sets the same mark the app sets
//! when its first chart is drawn with data.

/// Where the test server serves it.
pub const PATH: &str = "/bench/bare.html";

pub const HTML: &str = r##"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>bare page</title></head>
<body>
<canvas id="chart" width="640" height="240"></canvas>
<script>
const ctx = document.getElementById("chart").getContext("2d");
ctx.fillStyle = "#d97757";
[3, 5, 2, 7, 4, 6, 8].forEach((v, i) => ctx.fillRect(20 + i * 80, 220 - v * 25, 50, v * 25));
performance.mark("cca:first-chart");
</script>
</body>
</html>
"##;
