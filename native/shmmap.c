/*
 * shmmap: maps a file read-only and shared into an ArrayBuffer, for reading the forwarding plane's flow and bridge
 * tables at memory speed (the stock tools' mmap(PROT_READ, MAP_SHARED)). Node-API only, so one build serves every
 * Node version; the mapping is released when the ArrayBuffer is collected. Writing to it faults: tools never write.
 *
 *   mapFd(fd: number, length: number): ArrayBuffer
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <node_api.h>

static void unmap(napi_env env, void *data, void *hint) {
    (void)env;
    munmap(data, (size_t)(uintptr_t)hint);
}

static napi_value map_fd(napi_env env, napi_callback_info info) {
    size_t argc = 2;
    napi_value argv[2];
    int32_t fd;
    int64_t length;
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
        napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int64(env, argv[1], &length) != napi_ok ||
        length <= 0) {
        napi_throw_type_error(env, "EINVAL", "mapFd(fd, length): a file descriptor and a positive length");
        return NULL;
    }
    void *address = mmap(NULL, (size_t)length, PROT_READ, MAP_SHARED, fd, 0);
    if (address == MAP_FAILED) {
        napi_throw_error(env, "EMAP", strerror(errno));
        return NULL;
    }
    napi_value buffer;
    if (napi_create_external_arraybuffer(env, address, (size_t)length, unmap, (void *)(uintptr_t)length, &buffer) != napi_ok) {
        munmap(address, (size_t)length);
        napi_throw_error(env, "EMAP", "cannot wrap the mapping in an ArrayBuffer");
        return NULL;
    }
    return buffer;
}

NAPI_MODULE_INIT() {
    napi_value fn;
    if (napi_create_function(env, "mapFd", NAPI_AUTO_LENGTH, map_fd, NULL, &fn) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, "mapFd", fn) != napi_ok) return NULL;
    return exports;
}
