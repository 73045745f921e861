import PASIModel
import PostgresNIO

/// The local store's side of the record table (``PASIModel/RecordKind``): for each kind of record,
/// its table and how its records are written and read back. One row per ``PASIModel/RecordType``,
/// so a new kind is added here once, with its row type, and not in a `switch` of every method
/// that serves all kinds alike (store, read back, count, delete).
struct RowKind: Sendable {
    /// The kind's table.
    let table: PASITable
    /// Stores records of the kind on a connection (the caller's transaction), each unless a newer version is held.
    let upsert: @Sendable (PASIStore, [any PASIRecord], PostgresConnection) async throws -> (stored: [String], refused: [FeedItem])
    /// Reads records of the kind back by key, in key order.
    let read: @Sendable (PASIStore, [String]) async throws -> [any PASIRecord]

    /// A kind kept in one table of its own, one row per record.
    static func rows<Row: RecordRow>(_: Row.Type) -> RowKind {
        RowKind(
            table: Row.table,
            upsert: { store, records, connection in
                try await store.upsertRows(records.compactMap { $0 as? Row.Record }.map(Row.init), on: connection)
            },
            read: { store, ids in try await store.readRows(Row.self, ids: ids).map { try $0.model() } })
    }

    /// Students: their row, and their names, addresses and phones in tables of their own.
    static let students = RowKind(
        table: StudentRow.table,
        upsert: { store, records, connection in try await store.upsertStudents(records.compactMap { $0 as? Student }, on: connection) },
        read: { store, ids in try await store.students(asns: ids.map { try ASN($0, checkDigit: .ignored) }) })
}

/// A row of a kind kept one row per record: made from its record, and back.
protocol RecordRow: PASIRow {
    associatedtype Record: PASIRecord
    init(_ record: Record)
    func model() throws -> Record
}

extension SchoolEnrolmentRow: RecordRow {}
extension SchoolRow: RecordRow {}
extension SchoolAuthorityRow: RecordRow {}
extension CourseRow: RecordRow {}
extension SectionRow: RecordRow {}
extension CourseEnrolmentRow: RecordRow {}
extension EvaluatedMarkRow: RecordRow {}
extension DiplomaExamRow: RecordRow {}
extension DiplomaExamSittingRow: RecordRow {}
extension DiplomaExamMarkRow: RecordRow {}
extension StudentRecordDocumentRow: RecordRow {}
extension ClassroomAccommodationRow: RecordRow {}
extension StudentTranscriptDetailRow: RecordRow {}

extension RecordType {
    /// The kind's row of the local store's table.
    var rows: RowKind {
        switch self {
        case .student: .students
        case .schoolEnrolment: .rows(SchoolEnrolmentRow.self)
        case .school: .rows(SchoolRow.self)
        case .schoolAuthority: .rows(SchoolAuthorityRow.self)
        case .course: .rows(CourseRow.self)
        case .section: .rows(SectionRow.self)
        case .courseEnrolment: .rows(CourseEnrolmentRow.self)
        case .evaluatedMark: .rows(EvaluatedMarkRow.self)
        case .diplomaExam: .rows(DiplomaExamRow.self)
        case .diplomaExamSitting: .rows(DiplomaExamSittingRow.self)
        case .diplomaExamMark: .rows(DiplomaExamMarkRow.self)
        case .studentRecordDocument: .rows(StudentRecordDocumentRow.self)
        case .classroomAccommodation: .rows(ClassroomAccommodationRow.self)
        case .studentTranscriptDetail: .rows(StudentTranscriptDetailRow.self)
        }
    }

    /// The kind's table in the local store.
    var table: PASITable { rows.table }
}
