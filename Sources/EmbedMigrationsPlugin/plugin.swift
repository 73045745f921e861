import Foundation
import PackagePlugin

/// Embeds the package's top-level `migrations/` folder in the target it is applied to (the
/// `Migrations` module), so the binary carries its migrations and no generated copy is kept in git.
///
/// A build command whose inputs are the folder's files, so an edit re-runs it. SwiftPM plans the
/// plugin's commands again only when a target's folder changes shape, not when a file outside the
/// targets is added or removed: `Sources/Migrations/SQL` is a link to `migrations/` (excluded from
/// the target's sources) so that a migration added or removed is a change of the target's folder.
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let package = context.package.directoryURL
        let migrations = package.appending(path: "migrations")
        let script = package.appending(path: "Sources/EmbedMigrationsPlugin/embed-migrations.sh")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedMigrations.swift")
        return [
            .buildCommand(
                displayName: "Embedding migrations/",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, migrations.path, output.path],
                inputFiles: [script] + files(under: migrations),
                outputFiles: [output]
            ),
        ]
    }

    /// Every file below `migrations/`.
    private func files(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }
    }
}
