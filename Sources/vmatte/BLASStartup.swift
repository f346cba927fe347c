import Engine
import Foundation

/// Picks OpenBLAS's kernel before any work. OpenBLAS reads OPENBLAS_CORETYPE when it loads,
/// which is before `main`, so vmatte sets it and re-executes itself once. A value already in
/// the environment is respected; a chosen kernel that fails the self-check falls back to
/// OpenBLAS's own choice.
enum BLASStartup {
    static let marker = "VMATTE_BLAS_CHOSEN"

    static func prepare() {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment[marker] {
            guard !chosen.isEmpty, !BLASRuntime.productIsCorrect() else { return }
            // The kernel we picked computes wrong results here: run with OpenBLAS's default.
            unsetenv("OPENBLAS_CORETYPE")
            setenv(marker, "", 1)
            reexecute()
            return
        }
        guard environment["OPENBLAS_CORETYPE"] == nil,
              let core = BLASRuntime.recommendedCore(cpuFlags: BLASRuntime.cpuFlags()),
              core != BLASRuntime.coreName else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(marker, core, 1)
        reexecute()
    }

    private static func reexecute() {
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // exec failed (no /proc): carry on with the kernel already loaded.
    }
}
