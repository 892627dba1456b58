//! Where usage comes from: the console API, or the built-in demo
//! organization fed through the very same decoding path.

use std::rc::Rc;

use cca_core::summary::Summary;
use chrono::NaiveDate;

use crate::api::client::{ApiClient, Cancel, SummaryKey};
use crate::api::error::ApiError;
use crate::demo::{DemoConfig, DemoOrg};
use crate::model::decode::decode_usage_page;
use crate::model::record::{Me, UsagePage, UsageRecord};

#[derive(Clone)]
pub enum DataSource {
    Demo(Rc<DemoOrg>),
    Api(ApiClient),
}

impl DataSource {
    pub fn demo(today: NaiveDate) -> Self {
        DataSource::Demo(Rc::new(DemoOrg::new(DemoConfig {
            today,
            ..DemoConfig::default()
        })))
    }

    pub fn api(base: &str) -> Self {
        DataSource::Api(ApiClient::new(base))
    }

    pub fn is_demo(&self) -> bool {
        matches!(self, DataSource::Demo(_))
    }

    /// The built-in demo organization's first day with usage.
    pub fn demo_first_day(&self) -> Option<NaiveDate> {
        match self {
            DataSource::Demo(org) => Some(org.started()),
            DataSource::Api(_) => None,
        }
    }

    /// Every record of one UTC day.
    pub async fn day(&self, day: NaiveDate, cancel: &Cancel) -> Result<Vec<UsageRecord>, ApiError> {
        match self {
            DataSource::Api(client) => client.usage_day(day, cancel).await,
            DataSource::Demo(org) => demo_day(org, day),
        }
    }

    /// A range summed up by the API (`None` for the demo, which offers none).
    pub async fn summary(
        &self,
        key: &SummaryKey,
        cancel: &Cancel,
    ) -> Option<Result<Summary, ApiError>> {
        match self {
            DataSource::Api(client) => Some(client.summary(key, cancel).await),
            DataSource::Demo(_) => None,
        }
    }

    /// `/v1/me`; the demo has no server to ask.
    pub async fn me(&self, cancel: &Cancel) -> Option<Result<Me, ApiError>> {
        match self {
            DataSource::Api(client) => Some(client.me(cancel).await),
            DataSource::Demo(_) => None,
        }
    }
}

/// The demo's records, serialized to the wire format and decoded again, so
/// demo mode exercises exactly the types and checks the API path does.
pub fn demo_day(org: &DemoOrg, day: NaiveDate) -> Result<Vec<UsageRecord>, ApiError> {
    let page = UsagePage {
        data: org.records_for_day(day),
        has_more: false,
        next_page: None,
    };
    match serde_json::to_string(&page) {
        Ok(json) => Ok(decode_usage_page(day, &json)?.data),
        // Serializing these plain structs cannot fail; keep the records if it ever does.
        Err(_) => Ok(page.data),
    }
}
