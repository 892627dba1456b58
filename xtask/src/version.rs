//! Reads versions out of the tools' `--version` output.

/// The whitespace-separated word after `prefix` on the first line that starts
/// with it: `trunk 0.21.14` with prefix `trunk` → `0.21.14`.
fn word_after<'a>(output: &'a str, prefix: &str) -> Option<&'a str> {
    output.lines().find_map(|line| {
        let rest = line.trim().strip_prefix(prefix)?;
        if !rest.starts_with(char::is_whitespace) {
            return None; // `trunk-ng 1.0` is not `trunk`
        }
        rest.split_whitespace().next()
    })
}

/// `trunk 0.21.14` → `0.21.14`; the same shape serves `wasm-bindgen 0.2.130`
/// and `wasm-bindgen-test-runner 0.2.130`.
pub fn cli_version(output: &str, program: &str) -> Option<String> {
    word_after(output, program).map(str::to_owned)
}

/// `wasm-opt version 132 (version_132)` → `132`. Older builds print
/// `wasm-opt version_116`; both shapes give the bare number.
pub fn wasm_opt_version(output: &str) -> Option<String> {
    let word = word_after(output, "wasm-opt")?;
    let number = match word {
        "version" => word_after(output, "wasm-opt version")?,
        other => other.strip_prefix("version_")?,
    };
    let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

/// The major version of `Chromium 156.0.8078.79 built on …` or
/// `ChromeDriver 156.0.8078.79 (…)`, with `product` = `Chromium` / `ChromeDriver`.
pub fn chrome_major(output: &str, product: &str) -> Option<u32> {
    word_after(output, product)?.split('.').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_and_wasm_bindgen() {
        assert_eq!(
            cli_version("trunk 0.21.14\n", "trunk").as_deref(),
            Some("0.21.14")
        );
        assert_eq!(
            cli_version("wasm-bindgen 0.2.130\n", "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            cli_version(
                "wasm-bindgen-test-runner 0.2.130",
                "wasm-bindgen-test-runner"
            )
            .as_deref(),
            Some("0.2.130")
        );
    }

    #[test]
    fn a_longer_program_name_is_not_a_match() {
        assert_eq!(
            cli_version("wasm-bindgen-test-runner 0.2.130", "wasm-bindgen"),
            None
        );
        assert_eq!(cli_version("trunk-ng 0.17.16", "trunk"), None);
        assert_eq!(cli_version("", "trunk"), None);
        assert_eq!(cli_version("trunk", "trunk"), None);
    }

    #[test]
    fn noise_lines_before_the_version_are_skipped() {
        let out = "warning: something\ntrunk 0.21.14\n";
        assert_eq!(cli_version(out, "trunk").as_deref(), Some("0.21.14"));
    }

    #[test]
    fn wasm_opt_shapes() {
        assert_eq!(
            wasm_opt_version("wasm-opt version 132 (version_132)\n").as_deref(),
            Some("132")
        );
        assert_eq!(
            wasm_opt_version("wasm-opt version 108").as_deref(),
            Some("108")
        );
        assert_eq!(
            wasm_opt_version("wasm-opt version_116").as_deref(),
            Some("116")
        );
        assert_eq!(wasm_opt_version("wasm-opt version abc"), None);
        assert_eq!(wasm_opt_version("binaryen 132"), None);
    }

    #[test]
    fn chromium_and_chromedriver_majors() {
        let chromium = "Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)\n";
        let driver = "ChromeDriver 156.0.8078.79 (a21ce95c24ce-refs/branch-heads/8078@{#1704})";
        assert_eq!(chrome_major(chromium, "Chromium"), Some(156));
        assert_eq!(chrome_major(driver, "ChromeDriver"), Some(156));
        // Debian's wrapper script may print shell noise first.
        let noisy = "/usr/bin/chromium: 9: [: 1: unexpected operator\nChromium 155.0.1.2 x";
        assert_eq!(chrome_major(noisy, "Chromium"), Some(155));
        assert_eq!(chrome_major("Chromium beta", "Chromium"), None);
    }
}
