import Foundation
import PackagePlugin

/// Embeds the package's top-level `migrations/` folder in the target it is applied to (the
/// `Migrations` module), so the binary carries its migrations and no generated copy is kept in git.
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let migrations = context.package.directoryURL.appending(path: "migrations")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedMigrations.swift")
        return [
            .buildCommand(
                displayName: "Embedding migrations/",
                executable: try context.tool(named: "MigrationsEmbedder").url,
                arguments: [migrations.path, output.path],
                inputFiles: inputs(under: migrations),
                outputFiles: [output]
            ),
        ]
    }

    /// Every file below `migrations/`: an edit of any of them re-runs the embedder.
    private func inputs(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }
            .sorted { $0.path < $1.path }
    }
}
