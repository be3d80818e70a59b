//! Why an input was rejected, in one line that names the place (a JSON path).

use std::fmt;

/// A rejected input: what is wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// JSON path of the offending value, `$` for the whole document.
    pub path: String,
    pub message: String,
}

impl ParseError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        ParseError {
            path: path.into(),
            message: message.into(),
        }
    }

    /// A serde error raised while reading the value at `base`.
    pub(super) fn from_serde(
        base: &str,
        err: serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        let inner = err.path().to_string();
        let path = if inner == "." || inner.is_empty() {
            base.to_owned()
        } else if inner.starts_with('[') {
            format!("{base}{inner}")
        } else {
            format!("{base}.{inner}")
        };
        let json = err.into_inner();
        let words = strip_position(&json.to_string());
        if words.starts_with("recursion limit exceeded") {
            return ParseError::new(
                "$",
                format!(
                    "nested more than 128 levels deep (line {}, column {})",
                    json.line(),
                    json.column()
                ),
            );
        }
        if json.is_syntax() || json.is_eof() {
            return ParseError::new(
                "$",
                format!(
                    "not valid JSON: {words} (line {}, column {})",
                    json.line(),
                    json.column()
                ),
            );
        }
        ParseError::new(path, plain_message(&words))
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ParseError {}

/// At most `max` characters of `text`, with an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// serde's "invalid type: string \"many\", expected a sequence" in the words
/// of JSON: "expected an array, found a string". Never echoes the value.
fn plain_message(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.rsplit_once(", expected ") {
            return format!(
                "expected {}, found {}",
                json_kind(expected),
                json_kind(found)
            );
        }
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return format!("missing field \"{field}\"");
    }
    clip(message, 160)
}

fn json_kind(serde_words: &str) -> &'static str {
    const KINDS: [(&str, &str); 12] = [
        ("string", "a string"),
        ("sequence", "an array"),
        ("map", "an object"),
        ("struct", "an object"),
        ("boolean", "a boolean"),
        ("null", "null"),
        ("unit", "null"),
        ("ISO-8601", "an ISO-8601 time"),
        ("integer", "a number"),
        ("floating", "a number"),
        ("u", "a number"),
        ("i", "a number"),
    ];
    let w = serde_words.trim();
    let w = w
        .strip_prefix("an ")
        .or_else(|| w.strip_prefix("a "))
        .unwrap_or(w);
    KINDS
        .iter()
        .find(|(prefix, _)| w.starts_with(prefix))
        .map_or("a value of another type", |(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_serde_words_as_json_words() {
        assert_eq!(
            plain_message("invalid type: string \"many\", expected a sequence"),
            "expected an array, found a string"
        );
        assert_eq!(
            plain_message("invalid type: sequence, expected a string"),
            "expected a string, found an array"
        );
        assert_eq!(
            plain_message("invalid type: integer `5`, expected struct GraphIncident"),
            "expected an object, found a number"
        );
        assert_eq!(
            plain_message("invalid type: map, expected u64"),
            "expected a number, found an object"
        );
        assert_eq!(
            plain_message("invalid type: boolean `true`, expected a string"),
            "expected a string, found a boolean"
        );
    }

    #[test]
    fn clips_long_text_on_a_char_boundary() {
        assert_eq!(clip("héllo", 2), "hé…");
        assert_eq!(clip("hé", 2), "hé");
    }
}
