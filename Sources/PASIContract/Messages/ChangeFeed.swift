public import PASIModel

/// `IsDataAvailable`: a long poll over the change feed.
public struct IsDataAvailableRequest: Codable, Sendable {
    /// One type asked about.
    public struct Query: Codable, Sendable, Hashable {
        /// The type, `Student` or `StudentSchoolEnrolment.2019`.
        public var notificationType: NotificationType
        /// The highest version the client holds; items above it are answered.
        public var maxPASICoreVersion: Int64
        /// The client's ``VersionHash`` of everything it holds for the type; when sent and
        /// equal to PASI's, nothing is answered; when different, every item is.
        public var pasiCoreVersionHash: String?

        public init(_ notificationType: NotificationType, after maxPASICoreVersion: Int64 = 0, hash: String? = nil) {
            self.notificationType = notificationType
            self.maxPASICoreVersion = maxPASICoreVersion
            pasiCoreVersionHash = hash
        }
    }

    public var callerInfo: CallerInfoElement
    /// How long PASI may hold the call open when nothing is available (minutes; this
    /// project accepts fractions, `docs/pasi-protocol.md`).
    public var waitTimeInMinutes: Double
    /// The types asked about (repeated `Notification` elements).
    public var notification: [Query]

    public init(callerInfo: CallerInfoElement, waitTimeInMinutes: Double, notification: [Query]) {
        self.callerInfo = callerInfo
        self.waitTimeInMinutes = waitTimeInMinutes
        self.notification = notification
    }
}

/// The answer to `IsDataAvailable`.
public struct IsDataAvailableResponse: Codable, Sendable {
    /// What is available for one type.
    public struct Answer: Codable, Sendable, Hashable {
        /// The type.
        public var notificationType: NotificationType
        /// Whether a hash was sent and matched (then ``item`` is empty).
        public var hashMatched: Bool
        /// Whether more items remain above the last one (page by asking again from
        /// the highest version seen).
        public var hasMore: Bool
        /// `{Id, Version}` pairs in version order.
        public var item: [FeedItem]

        public init(notificationType: NotificationType, hashMatched: Bool = false, hasMore: Bool = false, item: [FeedItem]) {
            self.notificationType = notificationType
            self.hashMatched = hashMatched
            self.hasMore = hasMore
            self.item = item
        }

        /// The highest version in this answer, if any.
        public var highestVersion: Int64? { item.last?.version }
    }

    /// One answer per type asked about, in the order asked.
    public var notification: [Answer]

    public init(notification: [Answer]) { self.notification = notification }
}
