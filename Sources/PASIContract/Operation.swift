public import PASIModel

/// Every operation the protocol has, by its SOAPAction name.
public enum PASIOperation: Sendable, Hashable {
    case isDataAvailable
    case getRecords(RecordType)
    case getStatuses(RecordType)
    /// `Submit<Type>`. `SubmitStudent` stays named so the simulator can refuse it: it is the
    /// Ministry's, not a K-12 client's (``StudentAspect``).
    case submit(RecordType)
    /// A K-12 client's change of one aspect of a student (`SubmitName`, `SubmitStudentGender`, …).
    case submitStudentAspect(StudentAspect)
    /// `CreateStudent`: a new student, for whom PASI makes the ASN (``CreateStudentRequest``).
    case createStudent
    /// `Submit<Type>StatusAcknowledgement`: one service per type with a validation status.
    case acknowledgeStatus(RecordType)
    case getCodeValues
    case identifyStudent

    /// The name as sent in the `SOAPAction` header and as the body element.
    public var name: String {
        switch self {
        case .isDataAvailable: "IsDataAvailable"
        case let .getRecords(type): type.getOperation
        case let .getStatuses(type): type.getStatusOperation
        case let .submit(type): type.submitOperation
        case let .submitStudentAspect(aspect): aspect.operationName
        case .createStudent: "CreateStudent"
        case let .acknowledgeStatus(type): type.acknowledgeStatusOperation
        case .getCodeValues: "GetCodeValues"
        case .identifyStudent: "IdentifyStudent"
        }
    }

    /// Every operation, in a stable order.
    public static let all: [PASIOperation] =
        [.isDataAvailable, .getCodeValues, .identifyStudent, .createStudent]
        + RecordType.allCases.map { .getRecords($0) }
        + RecordType.allCases.filter { $0.statusNotificationName != nil }.map { .getStatuses($0) }
        + RecordType.allCases.filter(\.isSubmittable).map { .submit($0) }
        + StudentAspect.allCases.map { .submitStudentAspect($0) }
        + RecordType.allCases.filter { $0.statusNotificationName != nil }.map { .acknowledgeStatus($0) }

    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The operation named `name`, if the protocol has it.
    public init?(name: String) {
        guard let operation = Self.byName[name] else { return nil }
        self = operation
    }
}
