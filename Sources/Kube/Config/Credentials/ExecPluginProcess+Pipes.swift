import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ExecPluginProcess {
    /// Reads both pipes to end of file with `poll`, so neither can fill up and stall the plugin.
    /// At the deadline the plugin is killed; if the pipes still do not close (a descendant that
    /// left the process group holds them), reading stops two seconds later.
    static func drain(
        _ out: Int32, _ err: Int32, deadline: ContinuousClock.Instant, control: ExecProcessControl
    ) -> ([UInt8], [UInt8]) {
        var collected: [Int32: [UInt8]] = [out: [], err: []]
        var open = [out, err]
        var deadline = deadline
        var killed = false
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let left = deadline - ContinuousClock.now
            let ready = left <= .zero ? 0 : poll(&fds, nfds_t(fds.count), Int32(clamping: Int(left.timeInterval * 1000) + 1))
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 && ContinuousClock.now >= deadline {
                if killed { break }
                control.expire()
                killed = true
                deadline = ContinuousClock.now + .seconds(2)
                continue
            }
            for fd in fds where fd.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(fd.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    collected[fd.fd, default: []].append(contentsOf: buffer[..<count])
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    open.removeAll { $0 == fd.fd }
                }
            }
        }
        return (collected[out] ?? [], collected[err] ?? [])
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
