import ArgumentParser

/// Which matting method `vmatte matte` runs.
enum MattingMethod: String, ExpressibleByArgument, CaseIterable {
    /// The bundled Deep Image Matting network (or `--model`).
    case dim
    /// Closed-form matting (Levin, Lischinski, Weiss 2008), the classical answer.
    case closedForm = "closed-form"
}
