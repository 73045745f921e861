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
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // The queue engine: knows nothing of PASI.
        .target(
            name: "JobQueue",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        // Numbered SQL migrations, embedded in the binary, and the runner that applies them.
        .target(
            name: "Migrations",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        // Values and pure logic of PASI: no I/O.
        .target(name: "PASIModel", swiftSettings: upcoming),
        // The repository layer: every SQL statement of the sync side.
        .target(
            name: "SyncStore",
            dependencies: [
                "PASIModel", "DistrictSynthesis",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "pasisync",
            dependencies: [
                "JobQueue", "Migrations", "PASIModel", "SyncStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        // What the integration tests share: a fresh migrated database per test, polling, deadlines.
        .target(
            name: "PasisyncTesting",
            dependencies: [
                "JobQueue", "Migrations",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "JobQueueTests",
            dependencies: [
                "JobQueue", "Migrations", "PasisyncTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "SyncStoreTests",
            dependencies: [
                "SyncStore", "PASIModel", "Migrations", "JobQueue", "DistrictSynthesis", "PasisyncTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(name: "PASIModelTests", dependencies: ["PASIModel"], swiftSettings: upcoming),
        // The deterministic synthetic district (SIS and PASI data sets): pure, no I/O.
        .target(name: "DistrictSynthesis", dependencies: ["PASIModel"], swiftSettings: upcoming),
        .testTarget(name: "DistrictSynthesisTests", dependencies: ["DistrictSynthesis", "PASIModel"], swiftSettings: upcoming),
    ]
)
