import Decode
import Foundation
import MatteCore
import Testing

/// `scripts/install.sh PREFIX`, then the installed `vmatte` run from an unrelated working folder
/// with no `--model` and no `$VMATTE_MODEL`: it finds the model installed beside it.
@Suite struct InstallTests {
    let root = VMatteProcess.repositoryRoot

    @Test func installedToolMattesTheSampleFromAnotherFolderWithItsInstalledModel() throws {
        let prefix = VMatteProcess.temporaryFolder()
        let work = VMatteProcess.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: prefix)
            try? FileManager.default.removeItem(atPath: work)
        }
        // The already-built binary stands in for the release build the script would make.
        let install = try VMatteProcess.run([root + "/scripts/install.sh", "--binary", VMatteProcess.executable, prefix],
                                            program: "/bin/bash")
        #expect(install.status == 0, "stderr: \(install.stderr)")
        let installed = prefix + "/bin/vmatte"
        #expect(FileManager.default.isExecutableFile(atPath: installed))
        let installedModel = prefix + "/share/vmatte/vmatte-fused.safetensors"
        #expect(FileManager.default.contentsEqual(atPath: installedModel, andPath: root + "/Models/vmatte-fused.safetensors"))
        let installedPlainModel = prefix + "/share/vmatte/vmatte-dim.safetensors"
        #expect(FileManager.default.contentsEqual(atPath: installedPlainModel, andPath: root + "/Models/vmatte-dim.safetensors"))

        var environment = ProcessInfo.processInfo.environment
        environment["VMATTE_MODEL"] = nil
        let arguments = [root + "/Samples/clip.mp4", "--trimaps", root + "/Samples/trimaps", "--frames", "0-2", "--alpha-only", "-q"]
        let result = try VMatteProcess.run(arguments + ["-o", "mattes"], program: installed, workingDirectory: work, environment: environment)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: work + "/mattes").sorted()
        #expect(names == ["000000.png", "000001.png", "000002.png"])

        // The mattes are the bundled (default, fused) model's: the same run with --model gives the same files.
        let reference = try VMatteProcess.run(arguments + ["-o", work + "/reference", "--method", "fused",
                                                           "--model", root + "/Models/vmatte-fused.safetensors"])
        #expect(reference.status == 0, "stderr: \(reference.stderr)")
        for name in names {
            let matte = try readImage(work + "/mattes/" + name, planes: .matte)
            let expected = try readImage(work + "/reference/" + name, planes: .matte)
            #expect(matte.pixels == expected.pixels, "\(name) differs from the bundled model's matte")
        }

        // The plain network is found beside it too.
        let plain = try VMatteProcess.run(arguments + ["-o", "plain", "--method", "dim"], program: installed, workingDirectory: work, environment: environment)
        #expect(plain.status == 0, "stderr: \(plain.stderr)")

        // Without the installed model, nothing else is found from this folder.
        try FileManager.default.removeItem(atPath: installedModel)
        let missing = try VMatteProcess.run(arguments + ["-o", "again"], program: installed, workingDirectory: work, environment: environment)
        #expect(missing.status == 2 && missing.stderr.contains("no matting model found"), "stderr: \(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/again"))
    }
}
