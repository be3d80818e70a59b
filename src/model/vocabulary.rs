//! The enumerations of Graph, Defender and Sentinel, reconciled: each value is
//! read case-insensitively under every spelling real exports use, and a value
//! no one listed is kept as written (`Unrecognised`), never an error.

use serde::{Serialize, Serializer};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident {
        $($variant:ident => [$($spelling:literal),+] $label:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant,)+
            /// A value this engine does not know, kept as the input wrote it.
            Unrecognised(String),
        }

        impl $name {
            pub fn from_wire(value: &str) -> Self {
                $(
                    if [$($spelling),+].iter().any(|s| s.eq_ignore_ascii_case(value)) {
                        return $name::$variant;
                    }
                )+
                $name::Unrecognised(value.to_owned())
            }

            /// The words for a wire value: its label when known, else the value as written.
            pub fn words(value: &str) -> &str {
                $(
                    if [$($spelling),+].iter().any(|s| s.eq_ignore_ascii_case(value)) {
                        return $label;
                    }
                )+
                value
            }

            /// The canonical (Graph, camelCase) spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => [$($spelling),+][0],)+
                    $name::Unrecognised(value) => value,
                }
            }

            /// The words an analyst reads.
            pub fn label(&self) -> &str {
                match self {
                    $($name::$variant => $label,)+
                    $name::Unrecognised(value) => value,
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

vocabulary!(Severity {
    Unknown => ["unknown", ""] "Unknown",
    Informational => ["informational"] "Informational",
    Low => ["low"] "Low",
    Medium => ["medium"] "Medium",
    High => ["high"] "High",
});

vocabulary!(
    /// Incident and alert status, Graph's and Sentinel's.
    Status {
        Unknown => ["unknown", ""] "Unknown",
        New => ["new"] "New",
        Active => ["active"] "Active",
        InProgress => ["inProgress"] "In progress",
        AwaitingAction => ["awaitingAction"] "Awaiting action",
        Resolved => ["resolved"] "Resolved",
        Closed => ["closed"] "Closed",
        Redirected => ["redirected"] "Redirected",
    }
);

impl Status {
    /// Nothing is left open: resolved, closed, or merged into another incident.
    pub fn is_resolved(&self) -> bool {
        matches!(self, Status::Resolved | Status::Closed | Status::Redirected)
    }
}

vocabulary!(
    /// Graph's classification; Sentinel's `BenignPositive` is Graph's
    /// `informationalExpectedActivity` and `Undetermined` is `unknown`.
    Classification {
        Unknown => ["unknown", "undetermined", "", "unknownFutureValue"] "Not classified",
        TruePositive => ["truePositive"] "True positive",
        FalsePositive => ["falsePositive"] "False positive",
        InformationalExpectedActivity => ["informationalExpectedActivity", "benignPositive"]
            "Informational, expected activity (benign positive)",
    }
);

vocabulary!(
    /// Graph's determination (both spellings of each value) and Sentinel's
    /// classification reason, which plays the same part.
    Determination {
        Unknown => ["unknown", "", "unknownFutureValue"] "Not determined",
        Apt => ["apt"] "Advanced persistent threat",
        Malware => ["malware"] "Malware",
        SecurityPersonnel => ["securityPersonnel"] "Security personnel",
        SecurityTesting => ["securityTesting"] "Security testing",
        UnwantedSoftware => ["unwantedSoftware"] "Unwanted software",
        Other => ["other"] "Other",
        MultiStagedAttack => ["multiStagedAttack"] "Multi-staged attack",
        CompromisedAccount => ["compromisedAccount", "compromisedUser"] "Compromised account",
        Phishing => ["phishing"] "Phishing",
        MaliciousUserActivity => ["maliciousUserActivity"] "Malicious user activity",
        NotMalicious => ["notMalicious", "clean"] "Not malicious",
        NotEnoughDataToValidate => ["notEnoughDataToValidate", "insufficientData"]
            "Not enough data to validate",
        ConfirmedActivity => ["confirmedActivity", "confirmedUserActivity"] "Confirmed activity",
        LineOfBusinessApplication => ["lineOfBusinessApplication"] "Line-of-business application",
        SuspiciousActivity => ["suspiciousActivity"] "Suspicious activity",
        SuspiciousButExpected => ["suspiciousButExpected"] "Suspicious but expected",
        IncorrectAlertLogic => ["incorrectAlertLogic"] "Incorrect alert logic",
        InaccurateData => ["inaccurateData"] "Inaccurate data",
    }
);

vocabulary!(Verdict {
    Unknown => ["unknown", ""] "Unknown",
    Suspicious => ["suspicious"] "Suspicious",
    Malicious => ["malicious"] "Malicious",
    NoThreatsFound => ["noThreatsFound"] "No threats found",
});

vocabulary!(
    /// An evidence item's `remediationStatus`.
    Remediation {
        None => ["none", ""] "Not remediated",
        Remediated => ["remediated"] "Remediated",
        Prevented => ["prevented"] "Prevented",
        Blocked => ["blocked"] "Blocked",
        NotFound => ["notFound"] "Not found",
    }
);

impl Remediation {
    /// The threat was dealt with.
    pub fn is_done(&self) -> bool {
        matches!(
            self,
            Remediation::Remediated | Remediation::Prevented | Remediation::Blocked
        )
    }
}

vocabulary!(
    /// How an action ended: history outcomes, machine-action and playbook statuses.
    Outcome {
        Succeeded => ["succeeded", "success", "completed"] "Succeeded",
        Failed => ["failed"] "Failed",
        TimedOut => ["timeOut", "timedOut"] "Timed out",
        Pending => ["pending"] "Pending",
        InProgress => ["inProgress", "running"] "In progress",
        Cancelled => ["cancelled", "canceled"] "Cancelled",
    }
);

impl Outcome {
    /// Did not (yet) do what was asked.
    pub fn needs_attention(&self) -> bool {
        !matches!(self, Outcome::Succeeded)
    }
}

vocabulary!(ActorKind {
    Person => ["user", "person"] "Person",
    Automation => ["automation"] "Automation",
    System => ["system"] "System",
});

vocabulary!(
    /// The entity type of an evidence item (`@odata.type` without its namespace).
    EvidenceKind {
        Device => ["deviceEvidence"] "Device",
        User => ["userEvidence"] "User",
        Mailbox => ["mailboxEvidence"] "Mailbox",
        Message => ["analyzedMessageEvidence"] "Email message",
        File => ["fileEvidence"] "File",
        Process => ["processEvidence"] "Process",
        Ip => ["ipEvidence"] "IP address",
        Url => ["urlEvidence"] "URL",
        CloudApp => ["cloudApplicationEvidence"] "Cloud app",
        RegistryKey => ["registryKeyEvidence"] "Registry key",
    }
);

impl EvidenceKind {
    /// The detail (hash, pid) tells two entities of the same name apart.
    pub fn detail_identifies(&self) -> bool {
        matches!(self, EvidenceKind::File | EvidenceKind::Process)
    }
}

vocabulary!(
    /// The product behind an alert: Graph's `serviceSource`, and the
    /// `detectionSource` values that name a product.
    Product {
        Endpoint => ["microsoftDefenderForEndpoint"] "Microsoft Defender for Endpoint",
        Identity => ["microsoftDefenderForIdentity"] "Microsoft Defender for Identity",
        CloudApps => ["microsoftDefenderForCloudApps"] "Microsoft Defender for Cloud Apps",
        Office365 => ["microsoftDefenderForOffice365"] "Microsoft Defender for Office 365",
        DefenderXdr => ["microsoft365Defender"] "Microsoft Defender XDR",
        EntraIdProtection => ["azureAdIdentityProtection"] "Microsoft Entra ID Protection",
        AppGovernance => ["microsoftAppGovernance"] "App governance",
        DataLossPrevention => ["dataLossPrevention"] "Microsoft Purview Data Loss Prevention",
        Cloud => ["microsoftDefenderForCloud"] "Microsoft Defender for Cloud",
        Sentinel => ["microsoftSentinel"] "Microsoft Sentinel",
        InsiderRisk => ["microsoftInsiderRiskManagement"] "Microsoft Purview Insider Risk Management",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_spelling_in_any_case() {
        assert_eq!(
            Classification::from_wire("TruePositive"),
            Classification::TruePositive
        );
        assert_eq!(
            Classification::from_wire("BenignPositive"),
            Classification::InformationalExpectedActivity
        );
        for (a, b) in [
            ("clean", "notMalicious"),
            ("insufficientData", "notEnoughDataToValidate"),
            ("compromisedUser", "compromisedAccount"),
            ("confirmedUserActivity", "confirmedActivity"),
        ] {
            assert_eq!(Determination::from_wire(a), Determination::from_wire(b));
            assert_eq!(Determination::from_wire(a).as_str(), b);
        }
        assert_eq!(Status::from_wire("Closed"), Status::Closed);
        assert!(Status::from_wire("Closed").is_resolved());
        assert_eq!(Outcome::from_wire("TimeOut"), Outcome::TimedOut);
        assert_eq!(
            Product::from_wire("microsoftDefenderForEndpoint").label(),
            "Microsoft Defender for Endpoint"
        );
        assert_eq!(Product::words("customTi"), "customTi");
        assert_eq!(
            Product::words("microsoft365Defender"),
            "Microsoft Defender XDR"
        );
    }

    #[test]
    fn keeps_unknown_values_as_written() {
        let d = Determination::from_wire("quantumEntanglement");
        assert_eq!(d, Determination::Unrecognised("quantumEntanglement".into()));
        assert_eq!(d.label(), "quantumEntanglement");
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            "\"quantumEntanglement\""
        );
    }
}
