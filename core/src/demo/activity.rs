//! One actor's usage on one day, shaped exactly like the API's records.

use chrono::NaiveDate;

use super::pricing::{cost_cents, ModelPrice, HAIKU, OPUS};
use super::rhythm::{day_number, is_holiday, is_weekend, org_busyness};
use super::rng::{Rng, Stream};
use super::roster::DemoMember;
use crate::model::name::Name;
use crate::model::record::{
    CoreMetrics, Cost, LinesOfCode, ModelUsage, Tokens, ToolAction, UsageRecord,
};
use crate::model::tool_actions::ToolActions;

/// A tool key the dashboard does not know, appearing now and then, so the
/// unknown-tool path is exercised by the demo too.
pub const UNKNOWN_TOOL: &str = "apply_patch_tool";

/// What every record of the organization shares.
pub(crate) struct OrgContext<'a> {
    pub seed: u64,
    pub organization_id: &'a str,
}

/// What a day is like for the whole organization.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DayContext {
    pub day: NaiveDate,
    pub number: i64,
    pub weekend: bool,
    pub holiday: bool,
    pub busyness: f64,
}

impl DayContext {
    pub(crate) fn new(seed: u64, day: NaiveDate) -> Self {
        DayContext {
            day,
            number: day_number(day),
            weekend: is_weekend(day),
            holiday: is_holiday(seed, day),
            busyness: org_busyness(seed, day),
        }
    }
}

/// Appends `member`'s records for the day (none, one, or now and then a second
/// one from another terminal) to `out`.
pub(crate) fn member_day(
    org: &OrgContext<'_>,
    day: &DayContext,
    member: &DemoMember,
    out: &mut Vec<UsageRecord>,
) {
    if !member.is_member_on(day.day) {
        return;
    }
    let profile = &member.profile;
    let mut rng = Rng::keyed(org.seed, Stream::Day, member.profile.key, day.number as u64);

    let mut probability = if day.weekend {
        profile.weekend_activity
    } else {
        profile.weekday_activity
    };
    let mut work = profile.volume * day.busyness;
    if profile.is_person {
        if day.holiday {
            probability *= 0.15;
        }
        // New people find their feet over their first two weeks.
        let tenure = day.day.signed_duration_since(member.joined).num_days();
        if tenure < 14 {
            let ramp = 0.35 + 0.65 * tenure as f64 / 14.0;
            probability *= ramp;
            work *= ramp;
        }
    }
    if day.weekend {
        work *= 0.6;
    }
    if !rng.chance(probability) {
        return;
    }
    work = rng.around(work, 0.45);
    let second = profile.is_person && rng.chance(0.07);
    out.push(record(org, day, member, profile.terminal, work, &mut rng));
    if second {
        let terminal = profile.second_terminal;
        out.push(record(org, day, member, terminal, work * 0.3, &mut rng));
    }
}

fn record(
    org: &OrgContext<'_>,
    day: &DayContext,
    member: &DemoMember,
    terminal: &str,
    work: f64,
    rng: &mut Rng,
) -> UsageRecord {
    let profile = &member.profile;
    let num_sessions = 1 + rng.count(work * 2.2, 0.3);

    // Whoever works on a holiday works: few come in (see the activity's
    // probability), but a day with sessions and spend and not one line
    // reads as broken data, not as a holiday.
    let decides = rng.chance(profile.decision_rate);
    let mut tool_actions = ToolActions::new();
    let mut core_metrics = CoreMetrics {
        num_sessions,
        ..CoreMetrics::default()
    };
    if decides {
        let edits = (work * rng.around(26.0, 0.4)).max(1.0);
        let reject = profile.reject_rate;
        let mut decide = |name: &str, accepted: u64, rng: &mut Rng| {
            let rejected = rng.count(accepted as f64 * reject, 0.5);
            if accepted + rejected > 0 {
                tool_actions.insert(name.into(), ToolAction { accepted, rejected });
            }
        };
        let edit = rng.round(edits);
        let multi = rng.count(edits * 0.3, 0.5);
        let write = rng.count(edits * profile.write_share, 0.5);
        decide("edit_tool", edit, rng);
        decide("multi_edit_tool", multi, rng);
        decide("write_tool", write, rng);
        let notebook = if profile.uses_notebooks && rng.chance(0.5) {
            let n = rng.count(edits * 0.15, 0.5);
            decide("notebook_edit_tool", n, rng);
            n
        } else {
            0
        };
        if rng.chance(0.04) {
            let patches = rng.between(1, 6);
            decide(UNKNOWN_TOOL, patches, rng);
        }
        let added = (edit * 14 + multi * 30 + write * 70 + notebook * 20) as f64;
        let added = rng.count(added, 0.3);
        let removed = rng.count((edit * 8 + multi * 18) as f64, 0.4);
        let commits = rng.count(added as f64 / 380.0, 0.4);
        core_metrics.lines_of_code = LinesOfCode { added, removed };
        core_metrics.commits_by_claude_code = commits;
        core_metrics.pull_requests_by_claude_code = rng.count(commits as f64 * 0.22, 0.5);
    }

    let reading = if day.holiday { 0.5 } else { 1.0 };
    let mut model_breakdown = Vec::with_capacity(3);
    model_breakdown.push(model_usage(&profile.model, work * reading, rng));
    // Claude Code sends small background tasks to Haiku.
    if profile.model != HAIKU && rng.chance(0.6) {
        model_breakdown.push(model_usage(&HAIKU, work * 0.15, rng));
    }
    if profile.is_person && profile.model != OPUS && rng.chance(0.08) {
        model_breakdown.push(model_usage(&OPUS, work * 0.3, rng));
    }

    UsageRecord {
        date: day.day,
        actor: member.actor.clone(),
        organization_id: Some(org.organization_id.into()),
        customer_type: Some(profile.customer_type.into()),
        subscription_type: profile.subscription_type.map(Name::from),
        terminal_type: Some(terminal.into()),
        core_metrics,
        tool_actions,
        model_breakdown,
    }
}

/// Tokens for `work` units of agentic coding on one model: mostly cache reads,
/// as in real Claude Code sessions. One unit costs about $1.80 on Sonnet.
fn model_usage(price: &ModelPrice, work: f64, rng: &mut Rng) -> ModelUsage {
    let tokens = Tokens {
        input: rng.count(work * 60_000.0, 0.4),
        output: rng.count(work * 25_000.0, 0.4),
        cache_read: rng.count(work * 1_800_000.0, 0.5),
        cache_creation: rng.count(work * 180_000.0, 0.5),
    };
    ModelUsage {
        model: price.model.into(),
        estimated_cost: Some(Cost {
            currency: "USD".into(),
            amount: cost_cents(price, &tokens),
        }),
        tokens,
    }
}
