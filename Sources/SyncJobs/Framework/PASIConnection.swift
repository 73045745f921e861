public import PASICore
import PASIModel
public import SyncStore

/// Where PASI Core is and which certificate to present: what the settings page does not
/// hold (a school authority gets these from Alberta Education), from the environment.
public struct PASIEndpoint: Sendable, Hashable {
    /// The service address, e.g. `https://127.0.0.1:8443/pasi`.
    public var url: String
    /// The client certificate (PEM).
    public var certificatePath: String
    /// Its private key (PEM).
    public var privateKeyPath: String
    /// The CA of the server's certificate (PEM); `nil` for the system's roots.
    public var trustRootsPath: String?

    public init(url: String, certificatePath: String, privateKeyPath: String, trustRootsPath: String?) {
        self.url = url
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.trustRootsPath = trustRootsPath
    }
}

extension SettingsStore {
    /// The client configuration the settings give: the CallerInfo from the Caller
    /// Information settings and the PASI Web Service Timeout (minutes).
    /// - Throws: If a stored caller setting breaks PASI's rules (the table's checks should
    ///   make that impossible), or the database fails.
    public func pasiClientConfiguration(for endpoint: PASIEndpoint) async throws -> PASICoreClient.Configuration {
        func text(_ key: SettingKey) async throws -> String { try await value(of: key).description }
        do {
            return try await configuration(endpoint, text)
        } catch let error as PASIModelError {
            throw CallerInformationIncomplete(problem: error.description)
        }
    }

    private func configuration(_ endpoint: PASIEndpoint, _ text: (SettingKey) async throws -> String) async throws -> PASICoreClient.Configuration {
        let software = try CallerInfo.Software(
            buildNumber: try await text(.build), manufacturer: try await text(.manufacturer), product: try await text(.product),
            version: try await text(.version))
        let user = try CallerInfo.User(
            ipAddress: try await text(.ipAddress), localID: try await text(.localID), name: try await text(.name),
            organizationCode: try OrganizationCode(try await text(.organizationCode)))
        var configuration = PASICoreClient.Configuration(
            endpoint: endpoint.url, certificatePath: endpoint.certificatePath, privateKeyPath: endpoint.privateKeyPath,
            trustRootsPath: endpoint.trustRootsPath, callerInfo: try CallerInfo(software: software, user: user))
        guard case let .integer(minutes) = try await value(of: .webServiceTimeoutMinutes) else {
            preconditionFailure("pasi web service timeout is an integer setting")
        }
        configuration.timeout = .seconds(minutes * 60)
        return configuration
    }
}

/// The Caller Information settings cannot make a valid CallerInfo (an installation has
/// not filled in its name, IP address or organization code yet).
public struct CallerInformationIncomplete: Error, CustomStringConvertible, Sendable {
    /// What PASI's rules say is wrong.
    public let problem: String
    /// The problem and how to fix it.
    public var description: String {
        "the Caller Information settings are incomplete: \(problem); set them with `pasisync settings set KEY VALUE`"
    }
}
