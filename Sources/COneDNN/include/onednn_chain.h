#ifndef VMATTE_ONEDNN_CHAIN_H
#define VMATTE_ONEDNN_CHAIN_H
// A run of stride-1 convolutions (zero padding k/2, bias, optional ReLU) of one frame size,
// executed by oneDNN in its own blocked layout between planar (NCHW, batch 1) input and output.
#include <stddef.h>

typedef struct onednn_layer {
    int input_channels;
    int output_channels;
    int kernel;
    int relu;
    const float *weights;  // OIHW
    const float *bias;     // O
} onednn_layer;

typedef struct onednn_chain onednn_chain;

/// Builds the primitives, reorders the weights and allocates the intermediate buffers once.
/// Returns NULL and a message in `error` when oneDNN refuses.
onednn_chain *onednn_chain_create(const onednn_layer *layers, int count, int height, int width,
                                  char *error, size_t error_size);

/// Bytes each of the two scratch buffers `onednn_chain_run` takes must hold: the largest
/// blocked map between the layers.
size_t onednn_chain_scratch_bytes(const onednn_chain *chain);

/// Runs the chain on `threads` OpenMP threads: `source` holds the first layer's input planes,
/// `destination` receives the last layer's output planes, and the maps between the layers
/// alternate between `scratch_a` and `scratch_b` (shared by every chain of a caller, so that
/// memory is allocated once). Returns 0, or a oneDNN status.
int onednn_chain_run(onednn_chain *chain, const float *source, float *destination,
                     void *scratch_a, void *scratch_b, int threads);

/// Bytes the chain holds itself (reordered weights and biases), for reports.
size_t onednn_chain_bytes(const onednn_chain *chain);

/// The implementation oneDNN chose for the chain's first convolution (e.g. "jit:avx2").
const char *onednn_chain_implementation(const onednn_chain *chain);

void onednn_chain_destroy(onednn_chain *chain);

#endif
