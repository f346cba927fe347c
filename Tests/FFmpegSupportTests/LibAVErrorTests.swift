import FFmpegSupport
import MatteCore
import Testing

@Suite struct LibAVErrorTests {
    @Test func statusCodesReadAsLibavWordsAfterTheContext() {
        #expect(LibAV.describe(LibAV.eof) == "End of file")
        _ = LibAV.takeLastLogLine()
        let error = LibAV.error(.badInput, "cannot open 'clip.mp4'", code: LibAV.eof)
        #expect(error == VMatteError.badInput("cannot open 'clip.mp4': End of file"))
        #expect(error.exitCode == 2 && LibAV.error(.runtime, "encoding failed", code: LibAV.again).exitCode == 1)
    }
}
