#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// A file written through a buffer into a temporary file beside its destination, which takes the
/// destination's name only when ``commit()`` is called: a failure part-way leaves nothing behind
/// and never a half-written file under the destination's name.
///
/// A full buffer of 1 MiB is handed to a writer thread and filling goes on in a second buffer, so
/// that the `write(2)` calls overlap the work that produces the bytes; the writer also asks the
/// kernel to start writing each megabyte to the disk (`posix_fadvise`), so that the `fsync` of
/// ``commit()`` finds little left to wait for.
final class OutputFile {
    let path: String
    private let temporaryPath: String
    private static let capacity = 1 << 20
    /// The buffer being filled. Behind a pointer, not a stored `var`: a class's stored `var` is
    /// checked for exclusive access at run time on every append, which cost 6 % of a
    /// reconciliation.
    private let filling: UnsafeMutablePointer<Buffer>
    private let writer: Writer
    private let queue = DispatchQueue(label: "reconciliation.output")
    /// Signalled when the writer holds no buffer.
    private let idle = DispatchSemaphore(value: 1)
    private let state: UnsafeMutablePointer<Bool>

    struct Buffer {
        var base: UnsafeMutablePointer<UInt8>
        var count = 0
        init() { base = .allocate(capacity: OutputFile.capacity) }
    }

    /// What the writer thread owns while it writes (touched by one thread at a time: the
    /// semaphore hands it over).
    private final class Writer: @unchecked Sendable {
        let fd: Int32
        var data = Buffer()
        var offset = 0
        var failure: Int32?

        init(fd: Int32) { self.fd = fd }

        func writeAll() {
            defer { data.count = 0 }
            guard failure == nil else { return }
            if let failure = OutputFile.writeAll(fd, data.base, data.count) { self.failure = failure; return }
            #if os(Linux)
            // Start the write-back of what was just written (Linux starts it for dirty pages on
            // this advice; sync_file_range is not visible to Swift); fsync waits for what is left.
            _ = posix_fadvise(fd, off_t(offset), off_t(data.count), POSIX_FADV_DONTNEED)
            #endif
            offset += data.count
        }

        deinit { data.base.deallocate() }
    }

    /// Writes `count` bytes at `base`; the errno of a failure.
    static func writeAll(_ fd: Int32, _ base: UnsafePointer<UInt8>, _ count: Int) -> Int32? {
        var written = 0
        while written < count {
            let n = write(fd, base + written, count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += n
        }
        return nil
    }

    init(path: String) throws(ReconciliationError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(getpid()).partial"
        // Owner only: a reconciliation's output names students.
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotWrite(path, errno) }
        writer = Writer(fd: fd)
        filling = .allocate(capacity: 1)
        filling.initialize(to: Buffer())
        state = .allocate(capacity: 1)
        state.initialize(to: false)
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        if filling.pointee.count == Self.capacity { handOver() }
        filling.pointee.base[filling.pointee.count] = byte
        filling.pointee.count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            if filling.pointee.count == Self.capacity { handOver() }
            let n = min(bytes.count - start, Self.capacity - filling.pointee.count)
            (filling.pointee.base + filling.pointee.count).update(from: source + start, count: n)
            filling.pointee.count += n
            start += n
        }
    }

    @inline(__always)
    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    func append(_ text: String) {
        append(Array(text.utf8))
    }

    /// Hands the buffer to the writer once it is nearly full (a record's worth of room left), so
    /// that a record is rarely split between two writes.
    @inline(__always)
    func flushIfFull() throws(ReconciliationError) {
        if filling.pointee.count >= Self.capacity - 4096 { try flush() }
    }

    /// Hands the buffer to the writer thread (after the previous one is written) and goes on with
    /// the writer's emptied one.
    func flush() throws(ReconciliationError) {
        if let failure = handOver() { throw .cannotWrite(path, failure) }
    }

    /// Waits for the writer, gives it the buffer; the failure of an earlier write, if any (once
    /// a write failed, nothing more is written and the result is never committed).
    @discardableResult
    private func handOver() -> Int32? {
        idle.wait()
        let failure = writer.failure
        swap(&filling.pointee, &writer.data)
        let writer = self.writer, idle = self.idle
        queue.async {
            writer.writeAll()
            idle.signal()
        }
        return failure
    }

    /// Writes what is left, makes it durable and gives the file its name.
    func commit() throws(ReconciliationError) {
        handOver()
        idle.wait()
        defer { idle.signal() }
        if let failure = writer.failure { throw .cannotWrite(path, failure) }
        guard fsync(writer.fd) == 0 else { throw .cannotWrite(path, errno) }
        close(writer.fd)
        state.pointee = true
        guard rename(temporaryPath, path) == 0 else {
            let failure = errno
            unlink(temporaryPath)
            throw .cannotWrite(path, failure)
        }
    }

    /// Removes the temporary file (nothing is left when the output was not committed).
    func discard() {
        idle.wait()
        defer { idle.signal() }
        if !state.pointee {
            close(writer.fd)
            state.pointee = true
            unlink(temporaryPath)
        }
    }

    deinit {
        discard()
        filling.pointee.base.deallocate()
        filling.deallocate()
        state.deallocate()
    }
}
