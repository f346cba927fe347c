#include "onednn_chain.h"

#include <oneapi/dnnl/dnnl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// From libgomp, oneDNN's threading runtime in Debian's build (its omp.h is GCC's, not clang's).
void omp_set_num_threads(int count);

// Memory objects here are views: their buffers are set for each run.
typedef struct stage {
    dnnl_primitive_t convolution;
    dnnl_primitive_t reorder_before;  // the previous map's layout -> this convolution's source layout; NULL when equal
    dnnl_memory_t source, weights, bias, destination;
} stage;

struct onednn_chain {
    int count;
    stage *stages;
    dnnl_memory_t planar_source, planar_destination;
    dnnl_primitive_t reorder_after;  // the last output's layout -> planar; NULL when equal
    dnnl_stream_t stream;
    size_t scratch_bytes, bytes;
    char implementation[64];
};

static dnnl_engine_t engine = NULL;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;

static void create_engine(void) {
    if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) engine = NULL;
}

static dnnl_engine_t shared_engine(void) {
    pthread_once(&engine_once, create_engine);
    return engine;
}

#define TRY(call, what) do { dnnl_status_t status_ = (call); if (status_ != dnnl_success) { \
    snprintf(error, error_size, "oneDNN: %s failed (status %d)", what, (int)status_); goto fail; } } while (0)

static size_t larger(size_t a, size_t b) { return a > b ? a : b; }

static const dnnl_memory_desc_t *desc_of(dnnl_memory_t memory) {
    const dnnl_memory_desc_t *desc;
    dnnl_memory_get_memory_desc(memory, &desc);
    return desc;
}

// A reorder from `from`'s layout to `to`'s, or NULL (and success) when they are the same.
static dnnl_status_t make_reorder(dnnl_primitive_t *reorder, dnnl_memory_t from, dnnl_memory_t to) {
    *reorder = NULL;
    if (dnnl_memory_desc_equal(desc_of(from), desc_of(to))) return dnnl_success;
    dnnl_primitive_desc_t pd;
    dnnl_status_t status = dnnl_reorder_primitive_desc_create(&pd, desc_of(from), engine, desc_of(to), engine, NULL);
    if (status != dnnl_success) return status;
    status = dnnl_primitive_create(reorder, pd);
    dnnl_primitive_desc_destroy(pd);
    return status;
}

static dnnl_status_t run_reorder(dnnl_primitive_t reorder, dnnl_memory_t from, dnnl_memory_t to, dnnl_stream_t stream) {
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
    return dnnl_primitive_execute(reorder, stream, 2, args);
}

static dnnl_status_t planar_memory(dnnl_memory_t *memory, int channels, int height, int width) {
    dnnl_memory_desc_t desc;
    dnnl_dims_t dims = {1, channels, height, width};
    dnnl_status_t status = dnnl_memory_desc_init_by_tag(&desc, 4, dims, dnnl_f32, dnnl_nchw);
    if (status != dnnl_success) return status;
    return dnnl_memory_create(memory, &desc, engine, DNNL_MEMORY_NONE);
}

// Copies `count` floats in the layout of `user` (OIHW or x) into `memory`'s layout.
static dnnl_status_t fill(dnnl_memory_t memory, const dnnl_memory_desc_t *user, const float *values, dnnl_stream_t stream) {
    dnnl_memory_t source;
    dnnl_status_t status = dnnl_memory_create(&source, user, engine, (void *)values);
    if (status != dnnl_success) return status;
    dnnl_primitive_t reorder;
    status = make_reorder(&reorder, source, memory);
    if (status == dnnl_success && reorder) {
        status = run_reorder(reorder, source, memory, stream);
        dnnl_stream_wait(stream);
        dnnl_primitive_destroy(reorder);
    } else if (status == dnnl_success) {
        void *to;
        dnnl_memory_get_data_handle(memory, &to);
        memcpy(to, values, dnnl_memory_desc_get_size(user));
    }
    dnnl_memory_destroy(source);
    return status;
}

static dnnl_status_t choose_convolution(dnnl_primitive_desc_t *pd, const onednn_layer *layer, int height, int width) {
    dnnl_memory_desc_t source, weights, bias, destination;
    dnnl_dims_t source_dims = {1, layer->input_channels, height, width};
    dnnl_dims_t destination_dims = {1, layer->output_channels, height, width};
    dnnl_dims_t weight_dims = {layer->output_channels, layer->input_channels, layer->kernel, layer->kernel};
    dnnl_dims_t bias_dims = {layer->output_channels};
    dnnl_dims_t strides = {1, 1}, padding = {layer->kernel / 2, layer->kernel / 2};
    dnnl_status_t status = dnnl_memory_desc_init_by_tag(&source, 4, source_dims, dnnl_f32, dnnl_format_tag_any);
    if (status == dnnl_success) status = dnnl_memory_desc_init_by_tag(&weights, 4, weight_dims, dnnl_f32, dnnl_format_tag_any);
    if (status == dnnl_success) status = dnnl_memory_desc_init_by_tag(&bias, 1, bias_dims, dnnl_f32, dnnl_x);
    if (status == dnnl_success) status = dnnl_memory_desc_init_by_tag(&destination, 4, destination_dims, dnnl_f32, dnnl_format_tag_any);
    dnnl_convolution_desc_t desc;
    if (status == dnnl_success)
        status = dnnl_convolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_convolution_direct, &source, &weights,
                                                    &bias, &destination, strides, padding, padding);
    if (status != dnnl_success) return status;
    dnnl_primitive_attr_t attributes;
    dnnl_post_ops_t post_ops;
    dnnl_primitive_attr_create(&attributes);
    dnnl_post_ops_create(&post_ops);
    if (layer->relu) dnnl_post_ops_append_eltwise(post_ops, 1.0f, dnnl_eltwise_relu, 0.0f, 0.0f);
    dnnl_primitive_attr_set_post_ops(attributes, post_ops);
    status = dnnl_primitive_desc_create(pd, &desc, attributes, engine, NULL);
    dnnl_post_ops_destroy(post_ops);
    dnnl_primitive_attr_destroy(attributes);
    return status;
}

onednn_chain *onednn_chain_create(const onednn_layer *layers, int count, int height, int width,
                                  char *error, size_t error_size) {
    if (!shared_engine()) { snprintf(error, error_size, "oneDNN: no CPU engine"); return NULL; }
    onednn_chain *chain = calloc(1, sizeof *chain);
    chain->count = count;
    chain->stages = calloc((size_t)count, sizeof(stage));
    TRY(dnnl_stream_create(&chain->stream, engine, dnnl_stream_default_flags), "stream");
    TRY(planar_memory(&chain->planar_source, layers[0].input_channels, height, width), "input memory");
    TRY(planar_memory(&chain->planar_destination, layers[count - 1].output_channels, height, width), "output memory");
    dnnl_memory_t previous = chain->planar_source;
    for (int i = 0; i < count; i++) {
        const onednn_layer *layer = &layers[i];
        stage *s = &chain->stages[i];
        dnnl_primitive_desc_t pd;
        TRY(choose_convolution(&pd, layer, height, width), "convolution choice");
        if (i == 0) {
            const char *name = NULL;
            dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name);
            snprintf(chain->implementation, sizeof chain->implementation, "%s", name ? name : "unknown");
        }
        const dnnl_memory_desc_t *source_md = dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0);
        const dnnl_memory_desc_t *weights_md = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
        const dnnl_memory_desc_t *bias_md = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 1);
        const dnnl_memory_desc_t *destination_md = dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0);
        dnnl_status_t status = dnnl_primitive_create(&s->convolution, pd);
        if (status == dnnl_success) status = dnnl_memory_create(&s->source, source_md, engine, DNNL_MEMORY_NONE);
        if (status == dnnl_success) status = dnnl_memory_create(&s->destination, destination_md, engine, DNNL_MEMORY_NONE);
        if (status == dnnl_success) status = dnnl_memory_create(&s->weights, weights_md, engine, DNNL_MEMORY_ALLOCATE);
        if (status == dnnl_success) status = dnnl_memory_create(&s->bias, bias_md, engine, DNNL_MEMORY_ALLOCATE);
        chain->scratch_bytes = larger(chain->scratch_bytes, larger(dnnl_memory_desc_get_size(source_md), dnnl_memory_desc_get_size(destination_md)));
        chain->bytes += dnnl_memory_desc_get_size(weights_md) + dnnl_memory_desc_get_size(bias_md);
        dnnl_primitive_desc_destroy(pd);
        TRY(status, "convolution buffers");
        dnnl_memory_desc_t user_weights, user_bias;
        dnnl_dims_t weight_dims = {layer->output_channels, layer->input_channels, layer->kernel, layer->kernel};
        dnnl_dims_t bias_dims = {layer->output_channels};
        TRY(dnnl_memory_desc_init_by_tag(&user_weights, 4, weight_dims, dnnl_f32, dnnl_oihw), "weights layout");
        TRY(dnnl_memory_desc_init_by_tag(&user_bias, 1, bias_dims, dnnl_f32, dnnl_x), "bias layout");
        TRY(fill(s->weights, &user_weights, layer->weights, chain->stream), "weights reorder");
        TRY(fill(s->bias, &user_bias, layer->bias, chain->stream), "bias copy");
        TRY(make_reorder(&s->reorder_before, previous, s->source), "input reorder");
        previous = s->destination;
    }
    TRY(make_reorder(&chain->reorder_after, previous, chain->planar_destination), "output reorder");
    return chain;
fail:
    onednn_chain_destroy(chain);
    return NULL;
}

int onednn_chain_run(onednn_chain *chain, const float *source, float *destination,
                     void *scratch_a, void *scratch_b, int threads) {
    omp_set_num_threads(threads > 0 ? threads : 1);
    void *scratch[2] = {scratch_a, scratch_b};
    int next = 0;  // every step reads one buffer and writes the other
    dnnl_status_t status = dnnl_memory_set_data_handle_v2(chain->planar_source, (void *)source, chain->stream);
    if (status == dnnl_success) status = dnnl_memory_set_data_handle_v2(chain->planar_destination, destination, chain->stream);
    dnnl_memory_t current = chain->planar_source;
    void *current_data = (void *)source;
    for (int i = 0; i < chain->count && status == dnnl_success; i++) {
        stage *s = &chain->stages[i];
        if (s->reorder_before) {
            status = dnnl_memory_set_data_handle_v2(s->source, scratch[next], chain->stream);
            if (status == dnnl_success) status = run_reorder(s->reorder_before, current, s->source, chain->stream);
            current_data = scratch[next];
            next ^= 1;
        } else {
            status = dnnl_memory_set_data_handle_v2(s->source, current_data, chain->stream);
        }
        int writes_user = i == chain->count - 1 && !chain->reorder_after;
        void *output = writes_user ? (void *)destination : scratch[next];
        if (status == dnnl_success) status = dnnl_memory_set_data_handle_v2(s->destination, output, chain->stream);
        dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, s->source}, {DNNL_ARG_WEIGHTS, s->weights},
                                   {DNNL_ARG_BIAS, s->bias}, {DNNL_ARG_DST, s->destination}};
        if (status == dnnl_success) status = dnnl_primitive_execute(s->convolution, chain->stream, 4, args);
        if (!writes_user) next ^= 1;
        current = s->destination;
        current_data = output;
    }
    if (status == dnnl_success && chain->reorder_after)
        status = run_reorder(chain->reorder_after, current, chain->planar_destination, chain->stream);
    if (status == dnnl_success) status = dnnl_stream_wait(chain->stream);
    return (int)status;
}

size_t onednn_chain_scratch_bytes(const onednn_chain *chain) { return chain->scratch_bytes; }

size_t onednn_chain_bytes(const onednn_chain *chain) { return chain->bytes; }

const char *onednn_chain_implementation(const onednn_chain *chain) { return chain->implementation; }

void onednn_chain_destroy(onednn_chain *chain) {
    if (!chain) return;
    for (int i = 0; i < chain->count; i++) {
        stage *s = &chain->stages[i];
        if (s->convolution) dnnl_primitive_destroy(s->convolution);
        if (s->reorder_before) dnnl_primitive_destroy(s->reorder_before);
        if (s->source) dnnl_memory_destroy(s->source);
        if (s->weights) dnnl_memory_destroy(s->weights);
        if (s->bias) dnnl_memory_destroy(s->bias);
        if (s->destination) dnnl_memory_destroy(s->destination);
    }
    if (chain->reorder_after) dnnl_primitive_destroy(chain->reorder_after);
    if (chain->planar_source) dnnl_memory_destroy(chain->planar_source);
    if (chain->planar_destination) dnnl_memory_destroy(chain->planar_destination);
    if (chain->stream) dnnl_stream_destroy(chain->stream);
    free(chain->stages);
    free(chain);
}
