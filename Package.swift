// swift-tools-version: 6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "pasisync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pasisync", targets: ["pasisync"]),
        .library(name: "JobQueue", targets: ["JobQueue"]),
        .library(name: "PASIModel", targets: ["PASIModel"]),
        .library(name: "Reconciliation", targets: ["Reconciliation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The default traits pull in swift-configuration, which nothing here uses.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/CoreOffice/XMLCoder.git", from: "0.18.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: [
        // The queue engine: knows nothing of PASI.
        .target(
            name: "JobQueue",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),  // the database URL's sslrootcert
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        // The migration runner, with `migrations/` embedded in the binary by the plugin below
        // (numbered files for tables and data; functions and views re-applied by checksum).
        .target(
            name: "Migrations",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["SQL"],
            swiftSettings: upcoming,
            plugins: ["EmbedMigrations"]
        ),
        // Reads the top-level `migrations/` folder at build time (embed-migrations.sh) and writes
        // the Swift source that carries it, so no generated copy is kept in git. `SQL` in the
        // Migrations target is a link to `migrations/`, there only so that SwiftPM plans the
        // plugin again when a migration is added or removed (plugin.swift says why).
        .plugin(
            name: "EmbedMigrations",
            capability: .buildTool(),
            path: "Sources/EmbedMigrationsPlugin",
            exclude: ["embed-migrations.sh"]
        ),
        // Values and pure logic of PASI: no I/O. (Crypto only for the canonical MD5 hash.)
        .target(
            name: "PASIModel",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: upcoming
        ),
        // PASI Core's messages as XML: the SOAP envelope, every request and response, the faults.
        // Shared by the client and the simulator so both speak exactly one contract.
        .target(
            name: "PASIContract",
            dependencies: ["PASIModel", .product(name: "XMLCoder", package: "XMLCoder")],
            swiftSettings: upcoming
        ),
        // The PASI Core client: one protocol, an HTTPS transport with a client certificate.
        .target(
            name: "PASICore",
            dependencies: [
                "PASIModel", "PASIContract",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // A PASI Core server for development, demos and tests, with fault injection.
        .target(
            name: "PASISimulator",
            dependencies: [
                "PASIModel", "PASIContract", "DistrictSynthesis",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        // The repository layer: every SQL statement of the sync side.
        .target(
            name: "SyncStore",
            dependencies: [
                "PASIModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // One handler per job kind of the seed, and the wiring of the store to the client.
        .target(
            name: "SyncJobs",
            dependencies: [
                "PASIModel", "PASIContract", "PASICore", "SyncStore", "JobQueue",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        // The web console: the seed's pages served as HTML (Hummingbird; Mustache templates, the
        // stylesheet and the script embedded in the binary), with login, roles and an audit log.
        // It calls the stores (its users, sessions and audit log are ConsoleStore's): no SQL of its own.
        .target(
            name: "Console",
            dependencies: [
                "JobQueue", "SyncStore", "SyncJobs", "PASIModel", "Reconciliation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "MultipartKit", package: "multipart-kit"),  // the Reconciliation Process's uploads
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "pasisync",
            dependencies: [
                "JobQueue", "Migrations", "PASIModel", "SyncStore", "PASICore", "PASISimulator", "SyncJobs",
                "DistrictSynthesis", "PASIContract", "Reconciliation", "Console",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        // What the integration tests share: a fresh migrated database per test, polling, deadlines,
        // the running simulator with a client (SimulatorFixture), raw requests to it, small SIS rows.
        .target(
            name: "PasisyncTesting",
            dependencies: [
                "JobQueue", "Migrations", "PASIModel", "PASIContract", "PASICore", "PASISimulator", "SyncStore", "SyncJobs",
                "DistrictSynthesis",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "JobQueueTests",
            dependencies: [
                "JobQueue", "PasisyncTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "MigrationsTests",
            dependencies: ["Migrations", "JobQueue", "PasisyncTesting", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "SyncStoreTests",
            dependencies: [
                "SyncStore", "PASIModel", "JobQueue", "DistrictSynthesis", "PasisyncTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: upcoming
        ),
        // The PASI Core client, its contract and the simulator.
        .testTarget(
            name: "PASICoreTests",
            dependencies: [
                "PASICore", "PASIContract", "PASISimulator", "PASIModel", "SyncStore", "SyncJobs", "JobQueue", "PasisyncTesting",
                "DistrictSynthesis",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: upcoming
        ),
        // The processes of SyncJobs, on real worker processes against the simulator, and their
        // decisions apart from I/O (Planning/: no PostgreSQL, no PASI).
        .testTarget(
            name: "SyncJobsTests",
            dependencies: [
                "SyncJobs", "SyncStore", "JobQueue", "PASICore", "PASIContract", "PASIModel", "PASISimulator",
                "DistrictSynthesis", "PasisyncTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // The `pasisync` command's subcommands, run as the real binary.
        .testTarget(
            name: "PasisyncCommandTests",
            dependencies: [
                "SyncStore", "PASIModel", "PasisyncTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: upcoming
        ),
        // The console's routes in process (HummingbirdTesting) against a real PostgreSQL.
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console", "JobQueue", "Migrations", "SyncStore", "SyncJobs", "PASIModel", "PasisyncTesting", "Reconciliation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(name: "PASIModelTests", dependencies: ["PASIModel"], swiftSettings: upcoming),
        // The deterministic synthetic district (SIS and PASI data sets): pure, no I/O.
        .target(name: "DistrictSynthesis", dependencies: ["PASIModel"], swiftSettings: upcoming),
        .testTarget(name: "DistrictSynthesisTests", dependencies: ["DistrictSynthesis", "PASIModel"], swiftSettings: upcoming),
        // The Reconciliation Process: PASIprep exports (CSV or legacy SpreadsheetML) read, validated,
        // paired and compared. Files only, no database; no dependency. Its tests use PasisyncTesting
        // only to find the `pasisync` binary for the command's process tests.
        .target(name: "Reconciliation", swiftSettings: upcoming),
        .testTarget(name: "ReconciliationTests", dependencies: ["Reconciliation", "PasisyncTesting"], swiftSettings: upcoming),
    ]
)
