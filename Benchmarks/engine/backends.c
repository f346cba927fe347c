// The shipped network's convolution shapes at one frame size on oneDNN and on XNNPACK, each
// library at its best: oneDNN in its own blocked layout, XNNPACK in NHWC, operators created
// once, 2 threads, median of 5 runs after a warm-up. Prints a Markdown table.
// Build and run: bash Benchmarks/engine/backends.sh [WIDTH HEIGHT [W R]]
#include <oneapi/dnnl/dnnl.h>
#include <xnnpack.h>
#include <pthreadpool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPEATS 5

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *times) {
    qsort(times, REPEATS, sizeof *times, compare);
    return times[REPEATS / 2];
}

static float *filled(size_t count) {
    float *values = malloc(count * sizeof *values);
    for (size_t i = 0; i < count; i++) values[i] = (float)((i * 7919) % 255) / 255.0f - 0.5f;
    return values;
}

static dnnl_engine_t engine;
static dnnl_stream_t stream;

static double onednn_seconds(int ic, int oc, int k, int h, int w) {
    dnnl_memory_desc_t src, wei, bia, dst;
    dnnl_dims_t src_dims = {1, ic, h, w}, wei_dims = {oc, ic, k, k}, bia_dims = {oc}, dst_dims = {1, oc, h, w};
    dnnl_dims_t strides = {1, 1}, padding = {k / 2, k / 2};
    dnnl_memory_desc_init_by_tag(&src, 4, src_dims, dnnl_f32, dnnl_format_tag_any);
    dnnl_memory_desc_init_by_tag(&wei, 4, wei_dims, dnnl_f32, dnnl_format_tag_any);
    dnnl_memory_desc_init_by_tag(&bia, 1, bia_dims, dnnl_f32, dnnl_x);
    dnnl_memory_desc_init_by_tag(&dst, 4, dst_dims, dnnl_f32, dnnl_format_tag_any);
    dnnl_convolution_desc_t desc;
    dnnl_convolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_convolution_direct, &src, &wei, &bia, &dst,
                                       strides, padding, padding);
    dnnl_post_ops_t post_ops;
    dnnl_primitive_attr_t attributes;
    dnnl_post_ops_create(&post_ops);
    dnnl_post_ops_append_eltwise(post_ops, 1.0f, dnnl_eltwise_relu, 0.0f, 0.0f);
    dnnl_primitive_attr_create(&attributes);
    dnnl_primitive_attr_set_post_ops(attributes, post_ops);
    dnnl_primitive_desc_t pd;
    if (dnnl_primitive_desc_create(&pd, &desc, attributes, engine, NULL) != dnnl_success) return -1;
    dnnl_memory_t memory[4];
    dnnl_query_t queries[4] = {dnnl_query_src_md, dnnl_query_weights_md, dnnl_query_weights_md, dnnl_query_dst_md};
    int indices[4] = {0, 0, 1, 0};
    for (int i = 0; i < 4; i++) {
        const dnnl_memory_desc_t *md = dnnl_primitive_desc_query_md(pd, queries[i], indices[i]);
        dnnl_memory_create(&memory[i], md, engine, DNNL_MEMORY_ALLOCATE);
        float *data;
        dnnl_memory_get_data_handle(memory[i], (void **)&data);
        size_t count = dnnl_memory_desc_get_size(md) / sizeof(float);
        for (size_t j = 0; j < count; j++) data[j] = (float)((j * 7919) % 255) / 255.0f - 0.5f;
    }
    dnnl_primitive_t convolution;
    dnnl_primitive_create(&convolution, pd);
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, memory[0]}, {DNNL_ARG_WEIGHTS, memory[1]}, {DNNL_ARG_BIAS, memory[2]}, {DNNL_ARG_DST, memory[3]}};
    double times[REPEATS];
    dnnl_primitive_execute(convolution, stream, 4, args);
    dnnl_stream_wait(stream);
    for (int r = 0; r < REPEATS; r++) {
        double start = now();
        dnnl_primitive_execute(convolution, stream, 4, args);
        dnnl_stream_wait(stream);
        times[r] = now() - start;
    }
    dnnl_primitive_destroy(convolution);
    for (int i = 0; i < 4; i++) dnnl_memory_destroy(memory[i]);
    dnnl_primitive_desc_destroy(pd);
    dnnl_primitive_attr_destroy(attributes);
    dnnl_post_ops_destroy(post_ops);
    return median(times);
}

static double xnnpack_seconds(int ic, int oc, int k, int h, int w, pthreadpool_t pool) {
    float *weights = filled((size_t)oc * k * k * ic), *bias = filled((size_t)oc);
    float *input = filled((size_t)h * w * ic), *output = filled((size_t)h * w * oc);
    xnn_operator_t op = NULL;
    int pad = k / 2;
    if (xnn_create_convolution2d_nhwc_f32(pad, pad, pad, pad, k, k, 1, 1, 1, 1, 1, ic, oc, ic, oc, weights, bias,
                                          0.0f, INFINITY, 0, &op) != xnn_status_success) return -1;
    if (xnn_setup_convolution2d_nhwc_f32(op, 1, h, w, input, output, pool) != xnn_status_success) return -1;
    double times[REPEATS];
    xnn_run_operator(op, pool);
    for (int r = 0; r < REPEATS; r++) {
        double start = now();
        xnn_run_operator(op, pool);
        times[r] = now() - start;
    }
    xnn_delete_operator(op);
    free(weights); free(bias); free(input); free(output);
    return median(times);
}

int main(int argc, char **argv) {
    int width = argc > 2 ? atoi(argv[1]) : 1280, height = argc > 2 ? atoi(argv[2]) : 736;
    int w = argc > 4 ? atoi(argv[3]) : 16, r = argc > 4 ? atoi(argv[4]) : 32;
    dnnl_engine_create(&engine, dnnl_cpu, 0);
    dnnl_stream_create(&stream, engine, dnnl_stream_default_flags);
    if (xnn_initialize(NULL) != xnn_status_success) { fprintf(stderr, "XNNPACK does not run here\n"); return 1; }
    pthreadpool_t pool = pthreadpool_create(2);
    // name, in, out, kernel, level (maps are the frame size / 2^level)
    struct { const char *name; int in, out, kernel, level; } layers[] = {
        {"conv1_1", 4, w, 3, 0}, {"conv1_2", w, w, 3, 0}, {"conv2_1", w, 2 * w, 3, 1}, {"conv2_2", 2 * w, 2 * w, 3, 1},
        {"conv3_1", 2 * w, 4 * w, 3, 2}, {"conv3_2", 4 * w, 4 * w, 3, 2}, {"conv4_1", 4 * w, 8 * w, 3, 3}, {"conv4_2", 8 * w, 8 * w, 3, 3},
        {"conv5_1", 8 * w, 8 * w, 3, 4}, {"deconv5", 8 * w, 8 * w, 5, 4}, {"deconv4", 8 * w, 4 * w, 5, 3}, {"deconv3", 4 * w, 2 * w, 5, 2},
        {"deconv2", 2 * w, w, 5, 1}, {"deconv1", w, w, 5, 0}, {"refine1", 4, r, 3, 0}, {"refine2", r, r, 3, 0},
    };
    printf("Frame %dx%d, w = %d, r = %d, 2 threads; ms per convolution (median of %d):\n\n", width, height, w, r, REPEATS);
    printf("| layer | k | in→out | map | oneDNN | XNNPACK | XNNPACK / oneDNN |\n|---|---|---|---|---:|---:|---:|\n");
    double total_onednn = 0, total_xnnpack = 0;
    for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
        int h = height >> layers[i].level, wd = width >> layers[i].level;
        double a = onednn_seconds(layers[i].in, layers[i].out, layers[i].kernel, h, wd);
        double b = xnnpack_seconds(layers[i].in, layers[i].out, layers[i].kernel, h, wd, pool);
        total_onednn += a;
        total_xnnpack += b;
        printf("| %s | %d | %d→%d | %d×%d | %.1f | %.1f | %.2f |\n", layers[i].name, layers[i].kernel, layers[i].in, layers[i].out,
               wd, h, a * 1e3, b * 1e3, b / a);
    }
    printf("| all | | | | %.1f | %.1f | %.2f |\n", total_onednn * 1e3, total_xnnpack * 1e3, total_xnnpack / total_onednn);
    pthreadpool_destroy(pool);
    return 0;
}
