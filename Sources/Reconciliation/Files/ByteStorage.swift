#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file, mapped read-only into memory (or held in memory for content built here,
/// such as the CSV of a legacy XML export), with a way to hand pages already read back to the kernel so that a large file streamed once
/// does not stay resident.
final class ByteStorage {
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapped: Bool
    private var owned: UnsafeMutableBufferPointer<UInt8>?

    /// Maps the file at `path`; an empty file gives empty bytes.
    init(mapping path: String) throws(ReconciliationError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotRead(path, errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path, errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notAFile(path) }
        let size = Int(info.st_size)
        if size == 0 {
            owned = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1)
            bytes = UnsafeBufferPointer(start: owned!.baseAddress, count: 0)
            mapped = false
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw .cannotRead(path, errno)
        }
        _ = madvise(address, size, MADV_SEQUENTIAL)
        bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size)
        mapped = true
        owned = nil
    }

    /// Takes over the bytes of `content` (no copy).
    init(adopting content: GrowingBytes) {
        let (buffer, count) = content.handOver()
        owned = buffer
        bytes = UnsafeBufferPointer(start: buffer.baseAddress, count: count)
        mapped = false
    }

    /// Tells the kernel that the bytes before `offset` will not be needed soon: their pages leave
    /// the process's resident memory and are read again from the file if they are touched.
    func release(before offset: Int) {
        guard mapped, let base = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = (min(offset, bytes.count) / page) * page
        if length > 0 { _ = madvise(UnsafeMutableRawPointer(mutating: base), length, MADV_DONTNEED) }
    }

    /// Asks for random access from now on (pairing reads the Before file out of order).
    func adviseRandomAccess() {
        guard mapped, let base = bytes.baseAddress, bytes.count > 0 else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), bytes.count, MADV_RANDOM)
    }

    deinit {
        if mapped, let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
        owned?.deallocate()
    }
}
