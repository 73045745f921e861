import PASICore

/// Runs `body` with `client`, shutting it down afterwards.
func using<T>(_ client: PASICoreClient, _ body: (PASICoreClient) async throws -> T) async throws -> T {
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// The error `body` throws, if it is a ``PASICoreError``.
func coreError(_ body: () async throws -> Void) async -> PASICoreError? {
    do {
        try await body()
        return nil
    } catch let error as PASICoreError {
        return error
    } catch {
        return nil
    }
}
