import Foundation

/// Writes a line to stderr.
public func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
