//! The memory of a browser session's renderer processes, read from Linux's
//! `/proc`: the Chromium processes are the descendants of the session's
//! `chromedriver`, renderers carry `--type=renderer` on their command line.
//! Linux only (elsewhere there is no `/proc` and nothing is found).

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::error::PageloadError;

/// One renderer's memory, in KiB as `/proc` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RendererMemory {
    pub pid: u32,
    pub kind: RendererKind,
    /// `VmRSS` of `/proc/<pid>/status`: resident pages, shared ones included.
    pub rss_kib: u64,
    /// `RssFile` of the same `status`: the part of `VmRSS` that maps files
    /// (Chromium's own code, fonts). It moves with the page cache of the
    /// machine (file pages cached in large folios count whole), not with
    /// what the page does.
    pub file_kib: Option<u64>,
    /// `Pss` of `/proc/<pid>/smaps_rollup`: shared pages divided among their
    /// users (`None` when the kernel does not offer it).
    pub pss_kib: Option<u64>,
}

/// The parent pid in the text of `/proc/<pid>/stat`. The command name in
/// parentheses may hold spaces and parentheses, so fields are counted from
/// the last `)`: state, then ppid.
pub fn parse_ppid(stat: &str) -> Option<u32> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// The value of a `Key:   123 kB` line of `/proc/<pid>/status` or `smaps_rollup`.
pub fn parse_kib(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix(key)?.strip_prefix(':')?;
        let mut words = value.split_whitespace();
        let number = words.next()?.parse().ok()?;
        (words.next() == Some("kB")).then_some(number)
    })
}

/// What a renderer process renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RendererKind {
    /// Web pages (the one we load, and the spare Chromium keeps warm).
    Page,
    /// Chromium's own WebUI (`--top-chrome-webui`; headless has one too),
    /// or an extension (`--extension-process`).
    Other,
}

/// What `/proc/<pid>/cmdline` says a process is; `None` if not a renderer.
/// Zygote-forked processes rewrite their title into one space-separated
/// string, so arguments are split on NUL and on spaces.
pub fn renderer_kind(cmdline: &[u8]) -> Option<RendererKind> {
    let mut renderer = false;
    let mut other = false;
    for arg in cmdline.split(|b| *b == 0 || *b == b' ') {
        match arg {
            b"--type=renderer" => renderer = true,
            b"--extension-process" | b"--top-chrome-webui" => other = true,
            _ => {}
        }
    }
    match (renderer, other) {
        (false, _) => None,
        (true, false) => Some(RendererKind::Page),
        (true, true) => Some(RendererKind::Other),
    }
}

/// Every pid below `root` in a child → parent map (not `root` itself).
pub fn descendants(root: u32, parents: &HashMap<u32, u32>) -> Vec<u32> {
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        let mut children: Vec<u32> = parents
            .iter()
            .filter(|(child, p)| **p == parent && !found.contains(child))
            .map(|(child, _)| *child)
            .collect();
        children.sort_unstable();
        found.extend(children);
        i += 1;
    }
    found.remove(0);
    found
}

/// child → parent for every process in `/proc` (processes that exit while
/// it is read are skipped).
fn process_parents(proc: &Path) -> Result<HashMap<u32, u32>, PageloadError> {
    let mut parents = HashMap::new();
    for entry in fs::read_dir(proc)? {
        let Ok(entry) = entry else { continue };
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if let Some(ppid) = fs::read_to_string(entry.path().join("stat"))
            .ok()
            .as_deref()
            .and_then(parse_ppid)
        {
            parents.insert(pid, ppid);
        }
    }
    Ok(parents)
}

/// The memory of each renderer below `root` (the session's chromedriver).
pub fn renderers(root: u32) -> Result<Vec<RendererMemory>, PageloadError> {
    let proc = Path::new("/proc");
    let parents = process_parents(proc)?;
    let mut found = Vec::new();
    for pid in descendants(root, &parents) {
        let dir = proc.join(pid.to_string());
        let Some(kind) = fs::read(dir.join("cmdline"))
            .ok()
            .and_then(|c| renderer_kind(&c))
        else {
            continue;
        };
        let Some(status) = fs::read_to_string(dir.join("status")).ok() else {
            continue;
        };
        let Some(rss_kib) = parse_kib(&status, "VmRSS") else {
            continue;
        };
        let file_kib = parse_kib(&status, "RssFile");
        let pss_kib = fs::read_to_string(dir.join("smaps_rollup"))
            .ok()
            .and_then(|s| parse_kib(&s, "Pss"));
        found.push(RendererMemory {
            pid,
            kind,
            rss_kib,
            file_kib,
            pss_kib,
        });
    }
    Ok(found)
}

/// The renderer of `kind` with the most resident memory among `renderers`.
/// For pages that is the page's own (the spare renderer is far smaller).
pub fn largest(renderers: &[RendererMemory], kind: RendererKind) -> Option<RendererMemory> {
    renderers
        .iter()
        .filter(|r| r.kind == kind)
        .max_by_key(|r| r.rss_kib)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppid_is_read_after_the_command_name() {
        let stat = "4242 (chrome (renderer) x) S 4200 4242 4242 0 -1 4194560 1234";
        assert_eq!(parse_ppid(stat), Some(4200));
        assert_eq!(parse_ppid("1 (init) S"), None);
        assert_eq!(parse_ppid("garbage"), None);
    }

    #[test]
    fn kib_values_of_status_and_smaps_rollup() {
        let status = "Name:\tchromium\nVmPeak:\t 1000 kB\nVmRSS:\t  161234 kB\nRssAnon:\t   40000 kB\nRssFile:\t  120000 kB\nThreads:\t12\n";
        assert_eq!(parse_kib(status, "VmRSS"), Some(161_234));
        assert_eq!(parse_kib(status, "RssFile"), Some(120_000));
        assert_eq!(parse_kib(status, "VmHWM"), None);
        assert_eq!(parse_kib(status, "Threads"), None, "no kB unit");
        let rollup = "55d0-7ffe ---p 00000000 00:00 0 [rollup]\nRss:  170000 kB\nPss:   90321 kB\nPss_Anon: 60000 kB\n";
        assert_eq!(parse_kib(rollup, "Pss"), Some(90_321));
    }

    #[test]
    fn renderers_by_kind() {
        let page = b"/usr/lib/chromium/chromium\0--type=renderer\0--lang=en-US\0";
        assert_eq!(renderer_kind(page), Some(RendererKind::Page));
        // A zygote child's rewritten title: one string, spaces between arguments.
        let retitled = b"/usr/lib/chromium/chromium --type=renderer --crashpad-handler-pid=0\0";
        assert_eq!(renderer_kind(retitled), Some(RendererKind::Page));
        let ui = b"/usr/lib/chromium/chromium --type=renderer --top-chrome-webui --lang=en\0";
        assert_eq!(renderer_kind(ui), Some(RendererKind::Other));
        let extension = b"/usr/lib/chromium/chromium\0--type=renderer\0--extension-process\0";
        assert_eq!(renderer_kind(extension), Some(RendererKind::Other));
        assert_eq!(
            renderer_kind(b"/usr/lib/chromium/chromium --type=gpu-process"),
            None
        );
        assert_eq!(renderer_kind(b"/usr/bin/chromedriver\0--port=9515\0"), None);
        assert_eq!(
            renderer_kind(b"/bin/sh\0-c\0echo --type=renderer-ish\0"),
            None
        );
    }

    #[test]
    fn the_largest_of_a_kind() {
        let r = |pid, kind, rss_kib| RendererMemory {
            pid,
            kind,
            rss_kib,
            file_kib: None,
            pss_kib: None,
        };
        let all = [
            r(1, RendererKind::Other, 160_000),
            r(2, RendererKind::Page, 118_000),
            r(3, RendererKind::Page, 75_000),
        ];
        assert_eq!(largest(&all, RendererKind::Page).map(|r| r.pid), Some(2));
        assert_eq!(largest(&all, RendererKind::Other).map(|r| r.pid), Some(1));
        assert_eq!(largest(&all[..1], RendererKind::Page), None);
    }

    #[test]
    fn descendants_of_a_process_tree() {
        // driver 10 → browser 11 → zygote 12 → renderers 13, 14; 20 is unrelated.
        let parents: HashMap<u32, u32> = [(11, 10), (12, 11), (13, 12), (14, 12), (20, 1), (10, 1)]
            .into_iter()
            .collect();
        assert_eq!(descendants(10, &parents), vec![11, 12, 13, 14]);
        assert_eq!(descendants(14, &parents), Vec::<u32>::new());
    }
}
