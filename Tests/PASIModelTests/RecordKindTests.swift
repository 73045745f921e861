import PASIModel
import Testing

/// The record table (`RecordKind`) is the one place a kind of PASI record is described; these
/// check it against what the Knowledge Base documents and against the enums that still name kinds.
@Suite("The record table")
struct RecordKindTests {
    @Test("the year-less notification types are the ones NotificationType's technical page lists, the others take a year")
    func yearFilters() {
        // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/2adf3a48-2674-943e-b7d7-81f9eea87e77.htm
        let yearLess: Set<RecordType> = [.classroomAccommodation, .course, .school, .schoolAuthority, .student, .studentTranscriptDetail]
        for type in RecordType.allCases {
            #expect(type.kind.yearFilter == (yearLess.contains(type) ? .forbidden : .required), "\(type)")
            #expect(type.notificationName.yearFilter == type.kind.yearFilter, "\(type)")
        }
        // Names that are no record type's keep their own rule.
        #expect(NotificationName.studentStatus.yearFilter == .forbidden)
        #expect(NotificationName.schoolCalendarYear.yearFilter == .optional)
        #expect(NotificationName.sectionStatus.yearFilter == .required)
    }

    @Test("each status type leads to the record type whose status carries it, and back")
    func statusTypes() {
        for statusType in StatusType.allCases {
            if let type = statusType.recordType {
                #expect(type.kind.statusType == statusType)
                #expect(type.statusNotificationName != nil, "\(type) has a status type but no status notification name")
            }
        }
        #expect(StatusType.enrolment.recordType == .schoolEnrolment)
        #expect(StatusType.externalCredential.recordType == nil && StatusType.synchronization.recordType == nil)
    }

    @Test("every kind has a setting of its own; a kind with a status setting has a status notification name")
    func settings() {
        let settings = RecordType.allCases.map(\.kind.setting)
        #expect(Set(settings).count == settings.count)
        for type in RecordType.allCases where type.kind.statusSetting != nil {
            #expect(type.statusNotificationName != nil, "\(type)")
        }
    }

    @Test("the Swift type of each kind's records names that kind")
    func swiftTypes() {
        for type in RecordType.allCases {
            #expect(type.recordSwiftType.recordType == type)
        }
    }
}
