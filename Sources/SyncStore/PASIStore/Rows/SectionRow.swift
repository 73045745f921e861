internal import PASIModel

/// A row of `pasi.sections`.
struct SectionRow: PASIRow {
    static let table = PASITable(name: "pasi.sections", keyType: "uuid", columns: [
        ("ref_id", "uuid"), ("pasi_core_version", "bigint"), ("school_code", "char(4)"), ("school_year", "integer"),
        ("course_code", "text"), ("credits_offered", "integer"), ("term_code", "text"), ("primary_delivery_method", "text"),
        ("language_of_instruction", "text"), ("delivery_schedule", "text"), ("instructional_minutes_offered", "integer"),
        ("start_date", "date"),
    ], yearColumn: "school_year")

    var refId: String
    var pasiCoreVersion: Int64
    var schoolCode: String
    var schoolYear: Int
    var courseCode: String
    var creditsOffered: Int?
    var termCode: String
    var primaryDeliveryMethod: String?
    var languageOfInstruction: String?
    var deliverySchedule: String?
    var instructionalMinutesOffered: Int?
    var startDate: String?

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", schoolCode = "school_code", schoolYear = "school_year"
        case courseCode = "course_code", creditsOffered = "credits_offered", termCode = "term_code"
        case primaryDeliveryMethod = "primary_delivery_method", languageOfInstruction = "language_of_instruction"
        case deliverySchedule = "delivery_schedule", instructionalMinutesOffered = "instructional_minutes_offered"
        case startDate = "start_date"
    }

    init(_ section: Section) {
        refId = section.refId.value
        pasiCoreVersion = section.pasiCoreVersion
        schoolCode = section.schoolCode.description
        schoolYear = section.schoolYear.endYear
        courseCode = section.courseCode
        creditsOffered = section.creditsOffered
        termCode = section.termCode
        primaryDeliveryMethod = section.primaryDeliveryMethod
        languageOfInstruction = section.languageOfInstruction
        deliverySchedule = section.deliverySchedule
        instructionalMinutesOffered = section.instructionalMinutesOffered
        startDate = section.startDate?.description
    }

    func model() throws -> Section {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            try Section(
                refId: RefId(refId), schoolCode: OrganizationNumber(schoolCode, field: "Section.schoolCode"),
                schoolYear: SchoolYear(endYear: schoolYear), courseCode: courseCode, creditsOffered: creditsOffered,
                termCode: termCode, primaryDeliveryMethod: primaryDeliveryMethod, languageOfInstruction: languageOfInstruction,
                deliverySchedule: deliverySchedule, instructionalMinutesOffered: instructionalMinutesOffered,
                startDate: startDate.map { text throws(PASIModelError) in try PASIDate(text) }, pasiCoreVersion: pasiCoreVersion)
        }
    }
}
