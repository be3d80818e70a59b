//! The optional language model: writes the narrative prose of Summary and
//! Conclusion through an OpenAI-compatible Chat Completions API. The prompt
//! holds only the facts the engine built; every sentence that comes back is
//! checked against them, and unsupported ones are dropped. On a timeout, an
//! error or an answer that makes no sense, the grounded report stands alone.

use crate::model::Incident;
use crate::report::{Item, Section};
use serde_json::{json, Value};
use std::time::Duration;

/// `--llm-url`, `--llm-model` and the key (`INCIDENT_REPORT_LLM_KEY`).
#[derive(Clone, Debug)]
pub struct LlmConfig {
    /// The Chat Completions URL (`.../v1/chat/completions`), or the API base
    /// it is under (`.../v1`).
    pub url: String,
    pub model: String,
    pub key: Option<String>,
    /// For the whole answer of one section.
    pub timeout: Duration,
}

impl LlmConfig {
    /// With the default timeout (20 s for a whole answer).
    pub fn new(url: String, model: String, key: Option<String>) -> Self {
        LlmConfig {
            url,
            model,
            key: key.filter(|k| !k.is_empty()),
            timeout: Duration::from_secs(20),
        }
    }
}

/// Writes narratives with the configured model.
pub struct Narrator {
    config: LlmConfig,
    endpoint: String,
    client: reqwest::Client,
}

/// What the model wrote for one section, after checking.
#[derive(Clone, Debug, PartialEq)]
pub struct Narrative {
    /// The kept sentences; `None` when nothing usable came back.
    pub text: Option<String>,
    /// Who was asked: `llm:<model>`.
    pub engine: String,
    /// Sentences the data does not support.
    pub dropped: Vec<String>,
    /// Why the model's answer is not used, if it is not.
    pub fallback: Option<String>,
}

impl Narrative {
    /// The section's `engine`: `grounded+llm:<model>` when prose was kept.
    pub fn engine_label(&self) -> String {
        match self.text {
            Some(_) => format!("grounded+{}", self.engine),
            None => "grounded".into(),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "engine": self.engine,
            "text": self.text,
            "droppedSentences": self.dropped.len(),
            "fallback": self.fallback,
        })
    }
}

const TIMEOUT: &str = "the model did not answer in time";

const SYSTEM: &str = "You write one short narrative paragraph for a section of a security \
incident report. Use only the facts you are given. Do not add any name, time, date, host, \
address, file, number or count that is not in the facts. Write two to four plain sentences, \
no lists, no markdown, no headings.";

impl Narrator {
    pub fn new(config: LlmConfig) -> Result<Narrator, String> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(config.timeout)
            .build()
            .map_err(|e| format!("language model client: {e}"))?;
        let base = config.url.trim_end_matches('/');
        let endpoint = if base.ends_with("/chat/completions") {
            base.to_owned()
        } else {
            format!("{base}/chat/completions")
        };
        Ok(Narrator {
            config,
            endpoint,
            client,
        })
    }

    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// [`Narrator::narrate`] from a blocking thread of the runtime.
    pub fn narrate_blocking(&self, incident: &Incident, section: &Section) -> Narrative {
        tokio::runtime::Handle::current().block_on(self.narrate(incident, section))
    }

    /// Asks the model for the narrative of `section` and keeps only what the
    /// section's facts support.
    pub async fn narrate(&self, incident: &Incident, section: &Section) -> Narrative {
        let facts = facts(incident, section);
        let engine = format!("llm:{}", self.config.model);
        let answer = tokio::time::timeout(self.config.timeout, self.ask(section.title, &facts))
            .await
            .unwrap_or_else(|_| Err(TIMEOUT.into()));
        let text = match answer {
            Ok(text) => text,
            Err(reason) => {
                tracing::warn!(section = section.title, %reason, "language model not used");
                return Narrative {
                    text: None,
                    engine,
                    dropped: Vec::new(),
                    fallback: Some(reason),
                };
            }
        };
        let (kept, dropped) = ground(&text, &facts);
        if !dropped.is_empty() {
            tracing::info!(
                section = section.title,
                dropped = dropped.len(),
                "unsupported sentences dropped"
            );
        }
        let fallback = kept
            .is_empty()
            .then(|| "no sentence of the model's answer is supported by the data".to_owned());
        Narrative {
            text: (!kept.is_empty()).then(|| kept.join(" ")),
            engine,
            dropped,
            fallback,
        }
    }

    /// One Chat Completions call (streamed); the whole text of the answer.
    async fn ask(&self, title: &str, facts: &str) -> Result<String, String> {
        let body = json!({
            "model": self.config.model,
            "temperature": 0,
            "stream": true,
            "messages": [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": format!("Section: {title}\nFacts:\n{facts}")},
            ],
        });
        let mut request = self.client.post(&self.endpoint).json(&body);
        if let Some(key) = &self.config.key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.map_err(|e| match e.is_timeout() {
            true => TIMEOUT.to_owned(),
            false => format!("the model could not be reached: {e}"),
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("the model answered HTTP {status}"));
        }
        let streamed = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
        let bytes = response.bytes().await.map_err(|e| match e.is_timeout() {
            true => TIMEOUT.to_owned(),
            false => format!("the model's answer broke off: {e}"),
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let content = if streamed {
            streamed_content(&text)
        } else {
            serde_json::from_str::<Value>(&text).ok().and_then(|v| {
                v["choices"][0]["message"]["content"]
                    .as_str()
                    .map(str::to_owned)
            })
        };
        content
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| "the model's answer is not a Chat Completions answer".into())
    }
}

/// The text of a streamed answer: every `data:` chunk's `delta.content`, up
/// to `data: [DONE]`. `None` if a chunk is not JSON.
fn streamed_content(text: &str) -> Option<String> {
    let mut content = String::new();
    for line in text.lines() {
        let Some(data) = line.strip_prefix("data:").map(str::trim) else {
            continue;
        };
        if data == "[DONE]" {
            break;
        }
        let chunk: Value = serde_json::from_str(data).ok()?;
        if let Some(piece) = chunk["choices"][0]["delta"]["content"].as_str() {
            content.push_str(piece);
        }
    }
    Some(content)
}

/// The facts of a section as the prompt gives them: the incident's title,
/// then one line per fact, group summary and (for lists) item.
pub fn facts(incident: &Incident, section: &Section) -> String {
    let mut lines = vec![format!(
        "- Incident: {} (id {})",
        incident.title, incident.id
    )];
    for group in &section.groups {
        if let Some(summary) = &group.summary {
            lines.push(format!("- {summary}"));
        }
        for item in &group.items {
            let line = match item {
                Item::Fact(f) => format!("{}: {}", f.label, f.value),
                Item::Gap(g) => g.text.clone(),
                Item::Responder(r) => format!("Responder: {} ({} actions)", r.name, r.action_count),
                Item::Action(a) => format!("{} {} by {}", a.time.shown, a.what, a.actor),
                Item::Asset(a) => {
                    format!("{} {} ({}, {})", a.kind, a.name, a.verdict, a.remediation)
                }
            };
            lines.push(format!("- {line}"));
        }
    }
    lines.join("\n")
}

/// Splits `text` into sentences and keeps those whose every checkable claim
/// (a name, time, date, host, address, number or count) appears in `facts`.
/// Answers (kept, dropped).
pub fn ground(text: &str, facts: &str) -> (Vec<String>, Vec<String>) {
    let corpus = facts.to_lowercase();
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for sentence in sentences(text) {
        if claims(&sentence).iter().all(|c| supported(&corpus, c)) {
            kept.push(sentence);
        } else {
            dropped.push(sentence);
        }
    }
    (kept, dropped)
}

/// Sentences end at `.`, `!` or `?` followed by white space (so hosts,
/// addresses and versions stay whole).
fn sentences(text: &str) -> Vec<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let ends = matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|&(_, n)| n == ' ');
        if ends {
            let end = at + c.len_utf8();
            let sentence = text[start..end].trim();
            if !sentence.is_empty() {
                out.push(sentence.to_owned());
            }
            start = end;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_owned());
    }
    out
}

const NUMBER_WORDS: [&str; 19] = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// What a sentence states that the data must hold: tokens with a digit or
/// `@ . / \ :` in them (times, dates, counts, addresses, hosts, files),
/// capitalised words after the first (names), and number words.
fn claims(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, raw) in sentence.split(' ').enumerate() {
        let token = raw.trim_matches(|c: char| {
            !(c.is_alphanumeric() || matches!(c, '@' | '\\' | '/' | '_' | '-' | '$'))
        });
        if token.is_empty() {
            continue;
        }
        let lower = token.to_lowercase();
        if let Some(n) = NUMBER_WORDS.iter().position(|w| *w == lower) {
            out.push((n + 2).to_string());
            continue;
        }
        let technical = token
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '@' | '.' | '/' | '\\' | ':'));
        let named = i > 0 && token.chars().next().is_some_and(char::is_uppercase);
        if technical || named {
            // A possessive or plural of a name is the name.
            let token = token.strip_suffix("'s").unwrap_or(token);
            out.push(token.to_lowercase());
        }
    }
    out
}

/// `claim` appears in `corpus` as a whole word (not inside a longer name,
/// number or address).
fn supported(corpus: &str, claim: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut from = 0;
    while let Some(found) = corpus[from..].find(claim) {
        let at = from + found;
        let end = at + claim.len();
        let before = corpus[..at].chars().next_back();
        let after_text = &corpus[end..];
        let mut after = after_text.chars();
        let next = after.next();
        // `1.2.3.4` is not `1.2.3.45`; `08:26` is in `08:26:10`.
        let continues = word(next)
            || (next == Some('.')
                && word(after.next())
                && claim.chars().last().is_some_and(|c| c.is_ascii_digit()));
        if !word(before) && !continues {
            return true;
        }
        from = at + claim.len().max(1);
        while !corpus.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_supported_sentences_and_drops_invented_ones() {
        let facts = "- Incident: Phishing at Contoso (id 41017)\n- Severity: High\n\
                     - Alerts: 3\n- First activity: 2026-03-14 08:26:10 UTC\n\
                     - User meganb@contoso.com signed in from 198.51.100.23";
        let text = "The Phishing incident at Contoso is High severity. It has three alerts. \
                    Activity began at 08:26 on 2026-03-14. The account meganb@contoso.com was used from 198.51.100.23. \
                    It also reached 198.51.100.2. Bob Smith approved it. Five hosts were hit.";
        let (kept, dropped) = ground(text, facts);
        assert_eq!(kept.len(), 4, "{kept:?}");
        assert_eq!(
            dropped,
            [
                "It also reached 198.51.100.2.",
                "Bob Smith approved it.",
                "Five hosts were hit."
            ]
        );
    }

    #[test]
    fn reads_streamed_chunks() {
        let text = "data: {\"choices\":[{\"delta\":{\"content\":\"Hello \"}}]}\n\n\
                    data: {\"choices\":[{\"delta\":{\"content\":\"world.\"}}]}\n\ndata: [DONE]\n\n";
        assert_eq!(streamed_content(text).as_deref(), Some("Hello world."));
        assert_eq!(streamed_content("data: nope\n\n"), None);
    }
}
