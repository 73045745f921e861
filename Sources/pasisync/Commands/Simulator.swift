import ArgumentParser
import DistrictSynthesis
import Foundation
import Logging
import PASIContract
import PASIModel
import PASISimulator
import SyncStore

/// `pasisync simulator`: a PASI Core simulator over HTTPS for development and demos.
struct Simulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a synthetic province as PASI Core does, over HTTPS with client certificates.",
        discussion: """
            Holds the provincial data set of `pasisync seed --students N --seed S` (the same district, \
            with its planted discrepancies) and answers PASI Core's operations at https://HOST:PORT/pasi. \
            With --from-database it serves instead the records of the database's local PASI store \
            (pasi.*), e.g. a district downloaded earlier, acting for --organization. \
            Only clients presenting a certificate signed by the CA in --certs are served; create the \
            files with `pasisync certs --out DIR`. Faults for demos: POST a JSON fault plan to \
            /admin/faults, e.g. {"latencyMilliseconds":200,"transientShare":0.1,"rejectIDs":[]}; \
            POST /admin/change?type=Student&count=100 changes records behind the client's back.
            """)

    @Option(name: .long, help: "The folder holding ca.pem, server.pem, server-key.pem (from `pasisync certs`).")
    var certs: String

    @Option(name: .long, help: "The port, 1 to 65535.")
    var port: Int = 8443

    @Option(name: .long, help: "The address to listen on (default 127.0.0.1; 0.0.0.0 for every interface, e.g. workers in network namespaces).")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Students in the province, 1 to 2000000 (as for `pasisync seed`).")
    var students: Int = 1000

    @Option(name: .long, help: "The seed of the synthetic district (as for `pasisync seed`).")
    var seed: UInt64 = 1

    @Flag(name: .long, help: "Serve the local PASI store of the database (--database-url) instead of a synthetic district.")
    var fromDatabase = false

    @Option(name: .long, help: "With --from-database: the authority the client acts for, A.NNNN.")
    var organization: String?

    @Option(name: .long, help: "With --from-database: the current school year's end year (default: from today's date).")
    var currentSchoolYear: Int?

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Items per type in one change-feed answer, 1 to 150000 (PASI: 150000).")
    var pageLimit: Int = 150_000

    @Option(name: .long, help: "Items in all in one change-feed answer, 1 to 600000 (PASI: about 600000).")
    var totalLimit: Int = 600_000

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be from 1 to 65535, got \(port)") }
        guard (1...2_000_000).contains(students) else { throw ValidationError("--students must be from 1 to 2000000, got \(students)") }
        guard (1...150_000).contains(pageLimit) else { throw ValidationError("--page-limit must be from 1 to 150000, got \(pageLimit)") }
        guard (1...600_000).contains(totalLimit) else { throw ValidationError("--total-limit must be from 1 to 600000, got \(totalLimit)") }
        if fromDatabase {
            guard let organization else { throw ValidationError("--from-database needs --organization A.NNNN (the authority the client acts for)") }
            do { _ = try OrganizationCode.authority(organization, field: "--organization") } catch { throw ValidationError("\(error)") }
        }
        let files = DevelopmentCertificates.Files(directory: certs)
        for file in [files.caCertificate, files.serverCertificate, files.serverKey] where !FileManager.default.fileExists(atPath: file) {
            throw ValidationError("\(file) does not exist; create the certificates with `pasisync certs --out \(certs)`")
        }
    }

    func run() async throws {
        let logger = database.logger("pasisync.simulator")
        let province: Province
        if fromDatabase {
            province = try await storedProvince()
        } else {
            province = try await Province.synthetic(DistrictGenerator(students: students, seed: seed), feedLimits: feedLimits)
        }
        var configuration = SimulatorServer.Configuration(certificates: certs, port: port)
        configuration.host = host
        let server = SimulatorServer(province: province, configuration: configuration, logger: logger)
        let organization = province.organization
        let students = await province.count(of: .student)
        try await server.run { port in
            // Written unbuffered: whoever waits for this line reads a pipe or a log file, where
            // print's stdout is block-buffered.
            let line = "PASI Core simulator: https://\(host):\(port)/pasi, \(students) students, organization \(organization)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}

extension Simulator {
    /// A province holding every record of the database's local PASI store.
    private func storedProvince() async throws -> Province {
        let organization = try OrganizationCode.authority(organization ?? "", field: "--organization")
        // PASI's date: today, or February 1 of the school year asked for (it is then current, the
        // next one future).
        let today = try currentSchoolYear.map { try PASIDate(year: $0, month: 2, day: 1) } ?? Self.today(Date())
        let province = Province(organization: organization, feedLimits: feedLimits, today: today)
        try await database.withClient(label: "pasisync.simulator", maximumConnections: 1) { client, logger in
            let store = PASIStore(client: client, logger: logger)
            for type in RecordType.allCases {
                try await store.forEachBatch(of: type) { await province.load($0) }
            }
        }
        return province
    }

    /// The change-feed limits asked for.
    var feedLimits: FeedLimits { FeedLimits(perType: pageLimit, overall: totalLimit) }

    /// The date in Alberta at `date`.
    static func today(_ date: Date) throws -> PASIDate {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "America/Edmonton")!, from: date)
        return try PASIDate(year: parts.year!, month: parts.month!, day: parts.day!)
    }
}

/// `pasisync certs`: development certificates for the simulator and its clients.
struct Certs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a private CA and a server and a client certificate for development.",
        discussion: """
            Writes ca.pem, server.pem, server-key.pem (for 127.0.0.1 and localhost), client.pem and \
            client-key.pem into --out. Not for production: there, use the certificate Alberta Education \
            registered for the school authority.
            """)

    @Option(name: .long, help: "The folder to write (created if missing; existing files are replaced).")
    var out: String

    @Option(name: .long, help: "The client certificate's common name.")
    var clientName = "pasisync client"

    @Option(name: .long, help: "Days the certificates are valid, 1 to 3650.")
    var days = 365

    @Option(name: .customLong("server-name"), help: "A host name of the server certificate, instead of 127.0.0.1 and localhost (repeatable).")
    var serverNames: [String] = []

    func validate() throws {
        guard (1...3650).contains(days) else { throw ValidationError("--days must be from 1 to 3650, got \(days)") }
    }

    func run() throws {
        let files = try DevelopmentCertificates.create(in: out, clientName: clientName, validDays: days, serverNames: serverNames)
        for file in files.all { print(file) }
    }
}
