internal import Foundation
public import PASIModel
internal import PostgresNIO

// Students: the `pasi.students` row and its names, addresses and phones, written and read together.

extension PASIStore {
    /// Stores a student with their names, addresses and phones unless a newer version is held.
    ///
    /// The child rows are replaced whole and carry the student's version. Names keep the RefId
    /// PASI gave them; addresses, phones and names without one get a RefId made from the ASN and
    /// their position (`a0000000-0000-4000-8000-PPP<ASN>` for addresses, `b…` phones, `c…`
    /// names), so storing the same student twice leaves the same rows.
    /// - Parameter student: The student as PASI sent them.
    /// - Returns: Whether the student was stored or refused.
    /// - Throws: Database errors.
    public func upsert(_ student: Student) async throws -> UpsertOutcome { try await upsert([student]).single }

    /// Stores many students with their child rows in one transaction, as the one-student upsert does.
    /// - Parameter students: The students; an ASN given twice keeps its highest version.
    /// - Returns: How many were stored, and which were refused.
    /// - Throws: Database errors; nothing is stored then.
    public func upsert(_ students: [Student]) async throws -> UpsertResult {
        guard !students.isEmpty else { return UpsertResult(stored: 0, refused: []) }
        let (stored, refused) = try await client.inTransaction(logger: logger) { connection in
            try await upsertStudents(students, on: connection)
        }
        return UpsertResult(stored: stored.count, refused: refused)
    }

    /// Stores students with their child rows on `connection` (the caller's transaction).
    /// - Returns: The ASNs stored, and the refused students with the version held.
    func upsertStudents(_ students: [Student], on connection: PostgresConnection) async throws -> (stored: [String], refused: [FeedItem]) {
        let (stored, refused, new) = try await upsertRowsNotingNew(students.map(StudentRow.init), on: connection)
        let storedASNs = Set(stored)
        // The version that was kept for each ASN is the highest given; its children go with it.
        var kept: [String: Student] = [:]
        for student in students where storedASNs.contains(student.asn.digits) {
            if (kept[student.asn.digits]?.pasiCoreVersion ?? .min) <= student.pasiCoreVersion { kept[student.asn.digits] = student }
        }
        let chosen = Array(kept.values)
        for start in stride(from: 0, to: chosen.count, by: Self.batchSize) {
            try await replaceChildren(of: Array(chosen[start..<min(start + Self.batchSize, chosen.count)]), new: new, on: connection)
        }
        return (stored, refused)
    }

    /// The student with an ASN, with their names, addresses and phones, if held.
    /// - Parameter asn: The ASN (PASI's key).
    /// - Throws: ``SyncStoreError`` for a row that no longer makes a valid student; database errors.
    public func student(asn: ASN) async throws -> Student? {
        try await students(asns: [asn]).first
    }

    /// The students held of a batch of ASNs, in ASN order; ASNs not held are left out.
    ///
    /// Names come in RefId order; addresses and phones in the order they were stored.
    /// - Parameter asns: The ASNs.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func students(asns: [ASN]) async throws -> [Student] {
        let ids = asns.map(\.digits)
        let rows = try await readRowsBinary(StudentRow.self, where: "ref_id = ANY(CAST(\(ids) AS char(9)[]))")
        guard !rows.isEmpty else { return [] }
        let names = try await client.binaryRows(StudentNameRow.self, """
            SELECT n.ref_id, n.asn, n.name_type, n.last_name, n.first_name, n.middle_name, n.suffix, n.is_name_exact,
                   n.is_preferred, (n.effective_at AT TIME ZONE 'UTC')::date AS effective_date
            FROM pasi.student_names AS n WHERE n.asn = ANY(CAST(\(ids) AS char(9)[])) ORDER BY n.asn, n.ref_id
            """, table: "pasi.student_names", logger: logger)
        let addresses = try await client.binaryRows(StudentAddressRow.self, """
            SELECT a.asn, a.pasi_id, a.address_type, a.address_format, a.street, a.city, a.province, a.country, a.postal_code, a.effective_date,
                   a.expiry_date, a.is_preferred
            FROM pasi.student_addresses AS a WHERE a.asn = ANY(CAST(\(ids) AS char(9)[])) ORDER BY a.asn, a.ref_id
            """, table: "pasi.student_addresses", logger: logger)
        let phones = try await client.binaryRows(StudentPhoneRow.self, """
            SELECT p.asn, p.pasi_id, p.phone_number, p.extension, p.phone_type, p.is_listable, p.is_preferred, p.effective_date,
                   p.expiry_date
            FROM pasi.student_phones AS p WHERE p.asn = ANY(CAST(\(ids) AS char(9)[])) ORDER BY p.asn, p.ref_id
            """, table: "pasi.student_phones", logger: logger)
        let namesByASN = Dictionary(grouping: names, by: \.asn)
        let addressesByASN = Dictionary(grouping: addresses, by: \.asn)
        let phonesByASN = Dictionary(grouping: phones, by: \.asn)
        return try rows.map { row in
            try row.model(names: namesByASN[row.refId] ?? [], addresses: addressesByASN[row.refId] ?? [], phones: phonesByASN[row.refId] ?? [])
        }
    }

    // MARK: - Child rows

    /// Replaces the names, addresses and phones of `students`, who were just stored.
    /// - Parameter new: The ASNs just inserted rather than replaced: they have no rows to delete.
    ///   (A child row needs its student's row, and the insert held that key.) On a first download
    ///   that is every student, and PostgreSQL plans a delete of 400 ASNs as a scan of the whole
    ///   table (EXPLAIN, 50,000 names: 6–8 ms each), for nothing.
    private func replaceChildren(of students: [Student], new: Set<String>, on connection: PostgresConnection) async throws {
        let asns = students.map(\.asn.digits).filter { !new.contains($0) }
        for table in ["pasi.student_names", "pasi.student_addresses", "pasi.student_phones"] where !asns.isEmpty {
            try await connection.query(
                "DELETE FROM \(unescaped: table) WHERE asn = ANY(CAST(\(asns) AS char(9)[]))", logger: logger)
        }
        let encoder = JSONEncoder()
        let names = students.flatMap { student in
            student.names.enumerated().map { StudentNameRow($1, asn: student.asn, position: $0) }
        }
        let addresses = students.flatMap { student in
            student.addresses.enumerated().map { StudentAddressRow($1, asn: student.asn, position: $0) }
        }
        let phones = students.flatMap { student in
            student.phones.enumerated().map { StudentPhoneRow($1, asn: student.asn, position: $0) }
        }
        if !names.isEmpty {
            let json = try String(decoding: encoder.encode(names), as: UTF8.self)
            try await connection.query("""
                INSERT INTO pasi.student_names (ref_id, pasi_core_version, asn, name_type, last_name, first_name,
                                                middle_name, suffix, is_name_exact, is_preferred, effective_at)
                SELECT coalesce(r.ref_id, \(unescaped: Self.derivedRefId("c"))::uuid), s.pasi_core_version, r.asn, r.name_type,
                       r.last_name, r.first_name, r.middle_name, r.suffix, r.is_name_exact, r.is_preferred,
                       r.effective_date::timestamp AT TIME ZONE 'UTC'
                FROM jsonb_to_recordset(\(json)::jsonb) AS r (ref_id uuid, asn char(9), position integer, name_type text,
                     last_name text, first_name text, middle_name text, suffix text, is_name_exact boolean,
                     is_preferred boolean, effective_date date)
                JOIN pasi.students AS s ON s.ref_id = r.asn
                """, logger: logger)
        }
        if !addresses.isEmpty {
            let json = try String(decoding: encoder.encode(addresses), as: UTF8.self)
            try await connection.query("""
                INSERT INTO pasi.student_addresses (ref_id, pasi_core_version, asn, pasi_id, address_type, address_format, street,
                                                    city, province, country, postal_code, effective_date, expiry_date, is_preferred)
                SELECT \(unescaped: Self.derivedRefId("a"))::uuid, s.pasi_core_version, r.asn, r.pasi_id, r.address_type,
                       r.address_format, r.street, r.city, r.province, r.country, r.postal_code, r.effective_date, r.expiry_date,
                       r.is_preferred
                FROM jsonb_to_recordset(\(json)::jsonb) AS r (asn char(9), position integer, pasi_id bigint, address_type text,
                     address_format text, street text,
                     city text, province text, country text, postal_code text, effective_date date, expiry_date date,
                     is_preferred boolean)
                JOIN pasi.students AS s ON s.ref_id = r.asn
                """, logger: logger)
        }
        if !phones.isEmpty {
            let json = try String(decoding: encoder.encode(phones), as: UTF8.self)
            try await connection.query("""
                INSERT INTO pasi.student_phones (ref_id, pasi_core_version, asn, pasi_id, phone_number, extension, phone_type,
                                                 is_listable, is_preferred, effective_date, expiry_date)
                SELECT \(unescaped: Self.derivedRefId("b"))::uuid, s.pasi_core_version, r.asn, r.pasi_id, r.phone_number,
                       r.extension, r.phone_type, r.is_listable, r.is_preferred, r.effective_date, r.expiry_date
                FROM jsonb_to_recordset(\(json)::jsonb) AS r (asn char(9), position integer, pasi_id bigint, phone_number text,
                     extension text, phone_type text, is_listable boolean, is_preferred boolean, effective_date date,
                     expiry_date date)
                JOIN pasi.students AS s ON s.ref_id = r.asn
                """, logger: logger)
        }
    }

    /// The SQL of a child row's derived RefId: `<letter>0000000-0000-4000-8000-` then the position
    /// as three digits and the ASN (the district loader's mailing address and phone are position 0).
    private static func derivedRefId(_ letter: String) -> String {
        "('\(letter)0000000-0000-4000-8000-' || lpad(r.position::text, 3, '0') || r.asn)"
    }
}
