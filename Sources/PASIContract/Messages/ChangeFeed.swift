public import PASIModel

/// `IsDataAvailable`: a long poll over the change feed
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/is_data_available.html).
public struct IsDataAvailableRequest: Codable, Sendable {
    /// One type asked about.
    public struct Query: Codable, Sendable, Hashable {
        /// The type as written on the wire, `Student` or `StudentSchoolEnrolment.2019`: text, so
        /// that PASI (and the simulator) can answer a wrong one with rules 3005, 3006 and 3008
        /// instead of failing to read the request.
        public var written: String
        /// The highest version the client holds; items above it are answered.
        public var maxPASICoreVersion: Int64
        /// The client's ``VersionHash`` of everything it holds for the type; when sent and
        /// equal to PASI's, nothing is answered; when different, every item is.
        public var pasiCoreVersionHash: String?

        enum CodingKeys: String, CodingKey {
            case written = "notificationType", maxPASICoreVersion, pasiCoreVersionHash
        }

        /// A query for a type this project knows.
        public init(_ notificationType: NotificationType, after maxPASICoreVersion: Int64 = 0, hash: String? = nil) {
            self.init(written: notificationType.description, after: maxPASICoreVersion, hash: hash)
        }

        /// A query for a type as written, known or not (what PASI's rules 3005–3008 judge).
        public init(written: String, after maxPASICoreVersion: Int64 = 0, hash: String? = nil) {
            self.written = written
            self.maxPASICoreVersion = maxPASICoreVersion
            pasiCoreVersionHash = hash
        }

        /// The type, when ``written`` names one (`nil` for what rules 3005–3008 refuse).
        public var notificationType: NotificationType? { try? NotificationType(written) }
    }

    public var callerInfo: CallerInfoElement
    /// How long PASI may hold the call open when nothing is available (minutes; this
    /// project accepts fractions and 0 to 30, `docs/pasi-protocol.md`).
    public var waitTimeInMinutes: Double
    /// The types asked about (repeated `Notification` elements).
    public var notification: [Query]

    public init(callerInfo: CallerInfoElement, waitTimeInMinutes: Double, notification: [Query]) {
        self.callerInfo = callerInfo
        self.waitTimeInMinutes = waitTimeInMinutes
        self.notification = notification
    }
}

/// The answer to `IsDataAvailable`. There is no "more" flag: a type's answer that is full
/// (``FeedLimits``) is asked again from its highest version.
public struct IsDataAvailableResponse: Codable, Sendable {
    /// What is available for one type.
    public struct Answer: Codable, Sendable, Hashable {
        /// The type.
        public var notificationType: NotificationType
        /// Whether a hash was sent and matched (then ``item`` is empty).
        public var hashMatched: Bool
        /// `{Id, Version}` pairs in version order.
        public var item: [FeedItem]

        public init(notificationType: NotificationType, hashMatched: Bool = false, item: [FeedItem]) {
            self.notificationType = notificationType
            self.hashMatched = hashMatched
            self.item = item
        }

        /// The highest version in this answer, if any.
        public var highestVersion: Int64? { item.last?.version }
    }

    /// One answer per type asked about, in the order asked.
    public var notification: [Answer]

    public init(notification: [Answer]) { self.notification = notification }

    /// The types whose answers may have more behind them, to be asked again at once from their
    /// highest version (``FeedLimits``).
    public func full(under limits: FeedLimits) -> [NotificationType] {
        notification.filter { limits.isFull($0, in: self) }.map(\.notificationType)
    }
}

/// How much one `IsDataAvailable` answer holds, and how a client tells that a type's answer
/// was cut. The technical page of IsDataAvailable
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/4e51f707-4e1c-3dd0-eec9-aa2c7fb43393.htm)
/// says at most 150,000 items per type, "an overall maximum of approximately 600000", and that
/// the client pages by asking again from the highest version it received; there is no flag.
///
/// Where the page is silent, this project's reading, used by both sides (`docs/pasi-protocol.md`):
/// PASI fills the types in the order asked, each up to ``perType``, until the answer holds
/// ``overall`` items; a type reached after that is cut short or answered empty. So a type's
/// answer is full, and may have more behind it, when it holds ``perType`` items, or when the
/// answer as a whole holds ``overall`` items (every type of it is then asked again at once).
public struct FeedLimits: Sendable, Hashable {
    /// The most items one type's answer holds (PASI: 150,000).
    public var perType: Int
    /// The most items one answer holds in all (PASI: about 600,000).
    public var overall: Int

    /// Limits of `perType` items per type and `overall` in all (each at least 1).
    public init(perType: Int, overall: Int) {
        self.perType = max(1, perType)
        self.overall = max(1, overall)
    }

    /// PASI's documented limits: 150,000 per type, 600,000 in all.
    public static let documented = FeedLimits(perType: 150_000, overall: 600_000)

    /// Whether `answer` (one type's part of `response`) may have more behind it.
    public func isFull(_ answer: IsDataAvailableResponse.Answer, in response: IsDataAvailableResponse) -> Bool {
        isFull(answer, total: response.notification.reduce(0) { $0 + $1.item.count })
    }

    /// Whether `answer` may have more behind it, in an answer of `total` items in all.
    public func isFull(_ answer: IsDataAvailableResponse.Answer, total: Int) -> Bool {
        !answer.hashMatched && (answer.item.count >= perType || total >= overall)
    }
}
