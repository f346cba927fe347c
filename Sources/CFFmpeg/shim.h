#ifndef VMATTE_CFFMPEG_SHIM_H
#define VMATTE_CFFMPEG_SHIM_H
// The libav headers vmatte uses, plus tiny inline wrappers for what Swift cannot import:
// function-like macros (AVERROR, AVERROR_EOF, AV_NOPTS_VALUE) and a log callback that keeps
// the last error line so Swift error messages can quote libav's own words.
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/cpu.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static inline int vm_averror_eof(void) { return AVERROR_EOF; }
static inline int vm_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int vm_averror_enomem(void) { return AVERROR(ENOMEM); }
static inline int vm_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int vm_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int64_t vm_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int vm_codec_flag_global_header(void) { return AV_CODEC_FLAG_GLOBAL_HEADER; }
static inline int vm_fmt_globalheader(void) { return AVFMT_GLOBALHEADER; }
static inline int vm_fmt_nofile(void) { return AVFMT_NOFILE; }
static inline int vm_pix_fmt_flag_alpha(void) { return AV_PIX_FMT_FLAG_ALPHA; }
static inline int vm_pix_fmt_flag_rgb(void) { return AV_PIX_FMT_FLAG_RGB; }

/// The last libav log line at error level or worse, kept for error messages. One copy per
/// process: these inline functions are only ever called from the FFmpegSupport module.
typedef struct {
    pthread_mutex_t lock;
    char line[512];
    int quiet_level;
} vm_log_state;

static inline vm_log_state *vm_log_shared(void) {
    static vm_log_state state = { PTHREAD_MUTEX_INITIALIZER, {0}, AV_LOG_QUIET };
    return &state;
}

static inline void vm_log_callback(void *avcl, int level, const char *fmt, va_list args) {
    (void)avcl;
    vm_log_state *state = vm_log_shared();
    if (level > AV_LOG_ERROR && level > state->quiet_level) return;
    char buffer[512];
    vsnprintf(buffer, sizeof buffer, fmt, args);
    size_t length = strlen(buffer);
    while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r')) buffer[--length] = 0;
    if (length == 0) return;
    if (level <= AV_LOG_ERROR) {
        pthread_mutex_lock(&state->lock);
        memcpy(state->line, buffer, length + 1);
        pthread_mutex_unlock(&state->lock);
    }
    if (level <= state->quiet_level) fprintf(stderr, "libav: %s\n", buffer);
}

/// Installs the capturing callback; libav lines at `print_level` or worse also go to stderr.
static inline void vm_log_install(int print_level) {
    vm_log_shared()->quiet_level = print_level;
    av_log_set_callback(vm_log_callback);
}

/// Copies the last captured error line into `out` and clears it.
static inline void vm_log_take_last(char *out, size_t size) {
    vm_log_state *state = vm_log_shared();
    pthread_mutex_lock(&state->lock);
    snprintf(out, size, "%s", state->line);
    state->line[0] = 0;
    pthread_mutex_unlock(&state->lock);
}
#endif
