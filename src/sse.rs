//! Reading a Server-Sent Events stream in chunks, as `fetch` delivers them
//! (EventSource cannot POST). Plain Rust, so it is tested natively.

/// One event: its name (`message` when the stream names none) and its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub name: String,
    pub data: String,
}

/// Turns arbitrary chunks of a `text/event-stream` body into events.
#[derive(Default)]
pub struct Decoder {
    pending: Vec<u8>,
    name: String,
    data: Vec<String>,
}

impl Decoder {
    /// Feeds one chunk; answers the events it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<Event> {
        self.pending.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let mut line: Vec<u8> = self.pending.drain(..=end).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let line = String::from_utf8_lossy(&line);
            if let Some(event) = self.line(&line) {
                events.push(event);
            }
        }
        events
    }

    fn line(&mut self, line: &str) -> Option<Event> {
        if line.is_empty() {
            if self.data.is_empty() && self.name.is_empty() {
                return None;
            }
            let name = std::mem::take(&mut self.name);
            return Some(Event {
                name: if name.is_empty() {
                    "message".into()
                } else {
                    name
                },
                data: std::mem::take(&mut self.data).join("\n"),
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => self.name = value.to_owned(),
            "data" => self.data.push(value.to_owned()),
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, data: &str) -> Event {
        Event {
            name: name.into(),
            data: data.into(),
        }
    }

    #[test]
    fn reads_events_split_anywhere() {
        let stream = b"event: meta\ndata: {\"a\":1}\n\n: keep-alive\n\nevent: section\r\ndata: x\r\ndata: y\r\n\r\ndata: plain\n\n";
        let expected = vec![
            event("meta", "{\"a\":1}"),
            event("section", "x\ny"),
            event("message", "plain"),
        ];
        for size in 1..stream.len() {
            let mut decoder = Decoder::default();
            let got: Vec<Event> = stream.chunks(size).flat_map(|c| decoder.feed(c)).collect();
            assert_eq!(got, expected, "chunks of {size}");
        }
    }

    #[test]
    fn keeps_multibyte_text_split_across_chunks() {
        let stream = "event: done\ndata: naïve – ok\n\n".as_bytes();
        let mut decoder = Decoder::default();
        let mut got = Vec::new();
        for byte in stream {
            got.extend(decoder.feed(std::slice::from_ref(byte)));
        }
        assert_eq!(got, vec![event("done", "naïve – ok")]);
    }

    #[test]
    fn an_unfinished_event_is_not_delivered() {
        let mut decoder = Decoder::default();
        assert!(decoder.feed(b"event: section\ndata: half").is_empty());
    }
}
