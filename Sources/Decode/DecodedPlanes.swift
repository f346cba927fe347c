/// Which planes a decoder produces.
public enum DecodedPlanes: Sendable {
    /// Three planes R, G, B in 0...1.
    case rgb
    /// One plane: the alpha channel when the source has one, else its grey level (a matte video).
    case matte
    /// One plane: the grey level (luma), ignoring any alpha (trimaps).
    case grey
}
