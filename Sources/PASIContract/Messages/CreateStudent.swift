public import PASIModel

/// `CreateStudent`: "used on the 2018 End Point (and later) to submit information about a new
/// student to the PASI Core and to capture the Alberta Student Number (ASN) generated for the new
/// student", open to the Submit Student User role
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/create_student.html). PASI first
/// looks for the student by first name, last name and birth date, and refuses with rule 11401
/// Duplicate Student when it finds an ASN not in `AcknowledgeSimilarStateProvinceIdList`
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_11401.html). The answer is
/// a `SubmitResponse` whose Id "will be the new StateProvinceId for the Student" (0 when not
/// created) and whose `PASICoreVersion` "is the new version for the student"
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/08bdf5ff-a117-b9d3-7da4-1b6d72cb0fbe.htm).
///
/// `StudentIdentificationInfo` and `AcknowledgeSimilarStateProvinceIdList` are the documented
/// members; the others (`Gender`, repeated `Address` and `PhoneNumber`) and the order are this
/// project's (`docs/pasi-protocol.md`).
public struct CreateStudentRequest: Codable, Sendable, Hashable {
    /// The legal name, birth date and identification document of the new student.
    public struct StudentIdentificationInfo: Codable, Sendable, Hashable {
        public var name: StudentName
        public var birthDate: PASIDate
        public var identificationDocument: IdentificationDocument?

        public init(name: StudentName, birthDate: PASIDate, identificationDocument: IdentificationDocument? = nil) {
            (self.name, self.birthDate, self.identificationDocument) = (name, birthDate, identificationDocument)
        }
    }

    public var callerInfo: CallerInfoElement
    public var studentIdentificationInfo: StudentIdentificationInfo
    public var gender: Gender
    public var address: [Address]
    public var phoneNumber: [Phone]
    /// The ASNs of similar students a person looked at and found to be someone else.
    public var acknowledgeSimilarStateProvinceIdList: [ASN]

    public init(callerInfo: CallerInfoElement, studentIdentificationInfo: StudentIdentificationInfo, gender: Gender,
                address: [Address] = [], phoneNumber: [Phone] = [], acknowledgeSimilarStateProvinceIdList: [ASN] = []) {
        self.callerInfo = callerInfo
        self.studentIdentificationInfo = studentIdentificationInfo
        self.gender = gender
        self.address = address
        self.phoneNumber = phoneNumber
        self.acknowledgeSimilarStateProvinceIdList = acknowledgeSimilarStateProvinceIdList
    }

    enum CodingKeys: String, CodingKey {
        case callerInfo, studentIdentificationInfo, gender, address, phoneNumber, acknowledgeSimilarStateProvinceIdList
    }

    /// Lists may be absent (no element written for an empty list).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        callerInfo = try c.decode(CallerInfoElement.self, forKey: .callerInfo)
        studentIdentificationInfo = try c.decode(StudentIdentificationInfo.self, forKey: .studentIdentificationInfo)
        gender = try c.decode(Gender.self, forKey: .gender)
        address = try c.decodeIfPresent([Address].self, forKey: .address) ?? []
        phoneNumber = try c.decodeIfPresent([Phone].self, forKey: .phoneNumber) ?? []
        acknowledgeSimilarStateProvinceIdList = try c.decodeIfPresent([ASN].self, forKey: .acknowledgeSimilarStateProvinceIdList) ?? []
    }
}
