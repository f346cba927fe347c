/// A method that turns a frame and its trimap into an alpha matte.
public protocol AlphaMatting: AnyObject {
    /// The alpha matte of `rgb` (3 planes in 0…1) for `trimap` (1 plane: 0 / 0.5 / 1, or painted greys).
    func matte(rgb: ImageTensor, trimap: ImageTensor) throws -> ImageTensor
}
