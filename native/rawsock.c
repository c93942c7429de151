/*
 * rawsock: the few socket calls Node lacks, on plain file descriptors, for the kernel vRouter's channels: generic
 * netlink (AF_NETLINK, ksync) and AF_PACKET (capture on the pkt0 interface); and blocking reads of a Unix stream
 * socket, for the tools' synchronous transport and the emulator's busy polling. Addresses are passed as the bytes of
 * their sockaddr, so the protocol logic stays in TypeScript. Calls are synchronous; `recv` and `read` wait at most
 * `timeoutMs` (poll), so a caller can yield to the event loop between waits. Errors are thrown with the errno name as
 * `code`.
 *
 *   open(domain, type, protocol): fd                 (close-on-exec)
 *   bind(fd, sockaddr: Uint8Array): void
 *   sockname(fd): Uint8Array
 *   setsockopt(fd, level, name, value: Uint8Array): void
 *   send(fd, bytes: Uint8Array, to?: Uint8Array): number
 *   recv(fd, into: Uint8Array, timeoutMs, from?: Uint8Array): number   (-1: nothing within timeoutMs)
 *   connect(fd, sockaddr: Uint8Array, timeoutMs): void                 (also bounds later blocking sends)
 *   read(fd, into: Uint8Array, timeoutMs): number   (a stream: bytes read, 0 at its end, -1: nothing within timeoutMs)
 *   relax(): void                                   (sched_yield: lets another runnable thread have this CPU)
 *   close(fd): void
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <node_api.h>

static const char *errno_name(int error) {
    switch (error) {
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOENT: return "ENOENT";
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case ENODEV: return "ENODEV";
    case ENOBUFS: return "ENOBUFS";
    case ENOMEM: return "ENOMEM";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case EADDRINUSE: return "EADDRINUSE";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ENETDOWN: return "ENETDOWN";
    case EMSGSIZE: return "EMSGSIZE";
    case EINTR: return "EINTR";
    case EAGAIN: return "EAGAIN";
    case ECONNRESET: return "ECONNRESET";
    case EPIPE: return "EPIPE";
    case ENOTSOCK: return "ENOTSOCK";
    case ENOTCONN: return "ENOTCONN";
    default: return "EIO";
    }
}

static napi_value fail(napi_env env, int error) {
    napi_throw_error(env, errno_name(error), strerror(error));
    return NULL;
}

static napi_value usage(napi_env env, const char *text) {
    napi_throw_type_error(env, "EINVAL", text);
    return NULL;
}

/* The bytes of a Uint8Array (or Buffer) argument. */
static int bytes_of(napi_env env, napi_value value, void **data, size_t *length) {
    bool is_typed;
    if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
    napi_typedarray_type type;
    napi_value buffer;
    size_t offset;
    if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok) return 0;
    return type == napi_uint8_array;
}

static int int_of(napi_env env, napi_value value, int32_t *out) {
    return napi_get_value_int32(env, value, out) == napi_ok;
}

static napi_value number(napi_env env, double value) {
    napi_value result;
    napi_create_double(env, value, &result);
    return result;
}

#define ARGS(n)                                                                                                    \
    size_t argc = n;                                                                                               \
    napi_value argv[n];                                                                                            \
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;

static napi_value js_open(napi_env env, napi_callback_info info) {
    ARGS(3)
    int32_t domain, type, protocol;
    if (argc < 3 || !int_of(env, argv[0], &domain) || !int_of(env, argv[1], &type) || !int_of(env, argv[2], &protocol))
        return usage(env, "open(domain, type, protocol)");
    int fd = socket(domain, type | SOCK_CLOEXEC, protocol);
    return fd < 0 ? fail(env, errno) : number(env, fd);
}

static napi_value js_bind(napi_env env, napi_callback_info info) {
    ARGS(2)
    int32_t fd;
    void *address;
    size_t length;
    if (argc < 2 || !int_of(env, argv[0], &fd) || !bytes_of(env, argv[1], &address, &length))
        return usage(env, "bind(fd, sockaddr: Uint8Array)");
    return bind(fd, (struct sockaddr *)address, (socklen_t)length) < 0 ? fail(env, errno) : NULL;
}

static napi_value js_sockname(napi_env env, napi_callback_info info) {
    ARGS(1)
    int32_t fd;
    if (argc < 1 || !int_of(env, argv[0], &fd)) return usage(env, "sockname(fd)");
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    if (getsockname(fd, (struct sockaddr *)&address, &length) < 0) return fail(env, errno);
    void *data;
    napi_value buffer, array;
    if (napi_create_arraybuffer(env, length, &data, &buffer) != napi_ok) return NULL;
    memcpy(data, &address, length);
    if (napi_create_typedarray(env, napi_uint8_array, length, buffer, 0, &array) != napi_ok) return NULL;
    return array;
}

static napi_value js_setsockopt(napi_env env, napi_callback_info info) {
    ARGS(4)
    int32_t fd, level, name;
    void *value;
    size_t length;
    if (argc < 4 || !int_of(env, argv[0], &fd) || !int_of(env, argv[1], &level) || !int_of(env, argv[2], &name) ||
        !bytes_of(env, argv[3], &value, &length))
        return usage(env, "setsockopt(fd, level, name, value: Uint8Array)");
    return setsockopt(fd, level, name, value, (socklen_t)length) < 0 ? fail(env, errno) : NULL;
}

static napi_value js_send(napi_env env, napi_callback_info info) {
    ARGS(3)
    int32_t fd;
    void *data, *to = NULL;
    size_t length, to_length = 0;
    napi_valuetype to_type = napi_undefined;
    if (argc < 2 || !int_of(env, argv[0], &fd) || !bytes_of(env, argv[1], &data, &length) ||
        (argc > 2 && napi_typeof(env, argv[2], &to_type) != napi_ok) ||
        (to_type != napi_undefined && !bytes_of(env, argv[2], &to, &to_length)))
        return usage(env, "send(fd, bytes: Uint8Array, to?: Uint8Array)");
    ssize_t sent;
    /* MSG_NOSIGNAL: a peer gone from a stream is an EPIPE to report, never a SIGPIPE. */
    do sent = sendto(fd, data, length, MSG_NOSIGNAL, (struct sockaddr *)to, (socklen_t)to_length);
    while (sent < 0 && errno == EINTR);
    return sent < 0 ? fail(env, errno) : number(env, (double)sent);
}

/*
 * Waits at most `timeout` ms for `fd` to be readable: 1 it is, 0 not (yet), -1 an error (errno). A signal ends the
 * wait early, as "not yet" (callers wait in slices and try again): restarting it whole would never end under a
 * frequent signal such as a profiler's SIGPROF.
 */
static int readable(int fd, int timeout) {
    struct pollfd wait = {.fd = fd, .events = POLLIN};
    int ready = poll(&wait, 1, timeout);
    return ready < 0 && errno == EINTR ? 0 : ready;
}

/* The result of a receive that found the socket readable: its length, or -1 when nothing was there after all. */
static napi_value received(napi_env env, ssize_t got) {
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) return number(env, -1);
    return got < 0 ? fail(env, errno) : number(env, (double)got);
}

static napi_value js_recv(napi_env env, napi_callback_info info) {
    ARGS(4)
    int32_t fd, timeout;
    void *data, *from = NULL;
    size_t length, from_length = 0;
    napi_valuetype from_type = napi_undefined;
    if (argc < 3 || !int_of(env, argv[0], &fd) || !bytes_of(env, argv[1], &data, &length) ||
        !int_of(env, argv[2], &timeout) || (argc > 3 && napi_typeof(env, argv[3], &from_type) != napi_ok) ||
        (from_type != napi_undefined && !bytes_of(env, argv[3], &from, &from_length)))
        return usage(env, "recv(fd, into: Uint8Array, timeoutMs, from?: Uint8Array)");
    int ready = readable(fd, timeout);
    if (ready <= 0) return ready < 0 ? fail(env, errno) : number(env, -1);
    socklen_t address_length = (socklen_t)from_length;
    /* MSG_TRUNC: the datagram's real length, so a caller can tell its buffer was too small. */
    return received(env, recvfrom(fd, data, length, MSG_TRUNC | MSG_DONTWAIT, (struct sockaddr *)from, from ? &address_length : NULL));
}

static napi_value js_connect(napi_env env, napi_callback_info info) {
    ARGS(3)
    int32_t fd, timeout;
    void *address;
    size_t length;
    if (argc < 3 || !int_of(env, argv[0], &fd) || !bytes_of(env, argv[1], &address, &length) || !int_of(env, argv[2], &timeout) || timeout < 0)
        return usage(env, "connect(fd, sockaddr: Uint8Array, timeoutMs)");
    /* A listener whose backlog is full makes connect (and a peer that stops reading makes send) wait: at most this. */
    struct timeval limit = {.tv_sec = timeout / 1000, .tv_usec = (timeout % 1000) * 1000};
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) < 0) return fail(env, errno);
    return connect(fd, (struct sockaddr *)address, (socklen_t)length) < 0 ? fail(env, errno) : NULL;
}

/* Stream reads are exact: no MSG_TRUNC, which on some stream sockets (TCP) discards the data instead of copying it. */
static napi_value js_read(napi_env env, napi_callback_info info) {
    ARGS(3)
    int32_t fd, timeout;
    void *data;
    size_t length;
    if (argc < 3 || !int_of(env, argv[0], &fd) || !bytes_of(env, argv[1], &data, &length) || !int_of(env, argv[2], &timeout))
        return usage(env, "read(fd, into: Uint8Array, timeoutMs)");
    /* With no time to wait, one non-blocking recv is the whole call (the emulator's busy polling makes many). */
    if (timeout != 0) {
        int ready = readable(fd, timeout);
        if (ready <= 0) return ready < 0 ? fail(env, errno) : number(env, -1);
    }
    return received(env, recv(fd, data, length, MSG_DONTWAIT));
}

/* A busy poll that found nothing hands the CPU to any other runnable thread first, so spinning costs only idle time. */
static napi_value js_relax(napi_env env, napi_callback_info info) {
    (void)info;
    sched_yield();
    return NULL;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
    ARGS(1)
    int32_t fd;
    if (argc < 1 || !int_of(env, argv[0], &fd)) return usage(env, "close(fd)");
    return close(fd) < 0 ? fail(env, errno) : NULL;
}

NAPI_MODULE_INIT() {
    const struct {
        const char *name;
        napi_callback call;
    } functions[] = {
        {"open", js_open}, {"bind", js_bind}, {"sockname", js_sockname}, {"setsockopt", js_setsockopt},
        {"send", js_send}, {"recv", js_recv}, {"connect", js_connect}, {"read", js_read}, {"relax", js_relax},
        {"close", js_close},
    };
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
        napi_value fn;
        if (napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].call, NULL, &fn) != napi_ok) return NULL;
        if (napi_set_named_property(env, exports, functions[i].name, fn) != napi_ok) return NULL;
    }
    return exports;
}
