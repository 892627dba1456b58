//! The CSVs of the tables a range's pages show: the spend page's models,
//! the activity page's terminals and the accept-rate page's tools (the
//! member page's too; the overview's leaderboard's is
//! [`crate::leaderboard::board_csv`]). Raw numbers, snake_case headers, every rate
//! beside the counts it is made of; the team table's own is in
//! [`crate::team_table::team_csv`].

use crate::csv::{rate, spend_cells, Csv};
use crate::model::aggregate::{ModelTotals, TerminalTotals};
use crate::model::totals::ToolTotals;

/// Tokens and, for a viewer who may see spend (`with_spend`), estimated
/// spend per model.
pub fn models_csv(models: &[ModelTotals], with_spend: bool) -> String {
    const TOKENS: [&str; 5] = [
        "model",
        "input_tokens",
        "output_tokens",
        "cache_read_tokens",
        "cache_creation_tokens",
    ];
    let mut header = TOKENS.to_vec();
    if with_spend {
        header.extend(["spend_usd", "spend_other_currencies"]);
    }
    let mut csv = Csv::new(&header);
    for m in models {
        let mut cells = vec![
            m.model.clone(),
            m.tokens.input.to_string(),
            m.tokens.output.to_string(),
            m.tokens.cache_read.to_string(),
            m.tokens.cache_creation.to_string(),
        ];
        if with_spend {
            cells.extend(spend_cells(&m.spend));
        }
        csv.row(cells);
    }
    csv.finish()
}

/// Member-days and sessions per terminal type.
pub fn terminals_csv(terminals: &[TerminalTotals]) -> String {
    let mut csv = Csv::new(&["terminal", "member_days", "sessions"]);
    for t in terminals {
        csv.row([
            t.terminal.clone(),
            t.records.to_string(),
            t.sessions.to_string(),
        ]);
    }
    csv.finish()
}

/// Each editing tool's decisions and its accept rate (empty without any).
pub fn tools_csv(tools: &[ToolTotals]) -> String {
    let mut csv = Csv::new(&["tool", "edits_accepted", "edits_rejected", "accept_rate"]);
    for t in tools {
        csv.row([
            t.label.clone(),
            t.decisions.accepted.to_string(),
            t.decisions.rejected.to_string(),
            rate(t.decisions.rate()),
        ]);
    }
    csv.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::record::Tokens;
    use crate::model::totals::{Decisions, Spend};

    fn spend(pairs: &[(&str, u64)]) -> Spend {
        let mut spend = Spend::new();
        for (currency, minor) in pairs {
            spend.add(currency, *minor);
        }
        spend
    }

    #[test]
    fn models_have_their_tokens_and_spend() {
        let mut withheld = spend(&[("USD", 5)]);
        withheld.withhold();
        let models = [
            ModelTotals {
                model: "claude-sonnet-4-5".into(),
                tokens: Tokens {
                    input: 100_000,
                    output: 35_000,
                    cache_read: 10_000,
                    cache_creation: 5_000,
                },
                spend: spend(&[("USD", 102_550), ("EUR", 300)]),
            },
            ModelTotals {
                model: "=cmd|' /C calc'!A0".into(),
                tokens: Tokens::default(),
                spend: withheld,
            },
        ];
        assert_eq!(
            models_csv(&models, true),
            "model,input_tokens,output_tokens,cache_read_tokens,cache_creation_tokens,spend_usd,spend_other_currencies\n\
             claude-sonnet-4-5,100000,35000,10000,5000,1025.50,3.00 EUR\n\
             '=cmd|' /C calc'!A0,0,0,0,0,,\n"
        );
        assert_eq!(
            models_csv(&[], true),
            "model,input_tokens,output_tokens,cache_read_tokens,cache_creation_tokens,spend_usd,spend_other_currencies\n"
        );
        // A viewer who may not see spend gets the tokens only.
        assert_eq!(
            models_csv(&models[..1], false),
            "model,input_tokens,output_tokens,cache_read_tokens,cache_creation_tokens\n\
             claude-sonnet-4-5,100000,35000,10000,5000\n"
        );
    }

    #[test]
    fn terminals_have_member_days_and_sessions() {
        let terminals = [
            TerminalTotals {
                terminal: "vscode".into(),
                records: 12,
                sessions: 40,
            },
            TerminalTotals {
                terminal: "iTerm.app, tmux".into(),
                records: 1,
                sessions: 2,
            },
        ];
        assert_eq!(
            terminals_csv(&terminals),
            "terminal,member_days,sessions\nvscode,12,40\n\"iTerm.app, tmux\",1,2\n"
        );
    }

    #[test]
    fn tools_give_the_rate_with_its_counts() {
        let tools = [
            ToolTotals {
                key: "edit_tool".into(),
                label: "Edit".into(),
                decisions: Decisions::new(45, 5),
            },
            ToolTotals {
                key: "write_tool".into(),
                label: "Write".into(),
                decisions: Decisions::new(2, 1),
            },
            ToolTotals {
                key: "notebook_edit_tool".into(),
                label: "NotebookEdit".into(),
                decisions: Decisions::default(),
            },
        ];
        assert_eq!(
            tools_csv(&tools),
            "tool,edits_accepted,edits_rejected,accept_rate\n\
             Edit,45,5,0.9000\n\
             Write,2,1,0.6667\n\
             NotebookEdit,0,0,\n"
        );
    }
}
