#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written through a buffer into a temporary file beside its destination, which takes the
/// destination's name only when ``commit()`` is called: a failure part-way leaves nothing behind
/// and never a half-written file under the destination's name.
final class OutputFile {
    let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20

    init(path: String) throws(ReconciliationError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(getpid()).partial"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path, errno) }
        buffer.reserveCapacity(capacity + 4096)
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        buffer.append(byte)
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    /// Writes the buffer out once it holds a megabyte.
    @inline(__always)
    func flushIfFull() throws(ReconciliationError) {
        if buffer.count >= capacity { try flush() }
    }

    func flush() throws(ReconciliationError) {
        var written = 0
        let failure: Int32? = buffer.withUnsafeBytes { raw -> Int32? in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return nil
        }
        if let failure { throw .cannotWrite(path, failure) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is left, makes it durable and gives the file its name.
    func commit() throws(ReconciliationError) {
        try flush()
        guard fsync(fd) == 0 else { throw .cannotWrite(path, errno) }
        close(fd)
        fd = -1
        guard rename(temporaryPath, path) == 0 else {
            let failure = errno
            unlink(temporaryPath)
            throw .cannotWrite(path, failure)
        }
    }

    /// Removes the temporary file (nothing is left when the output was not committed).
    func discard() {
        if fd >= 0 {
            close(fd)
            fd = -1
            unlink(temporaryPath)
        }
    }

    deinit { discard() }
}
