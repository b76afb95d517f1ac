// zlib shim: the system zlib (zlib1g-dev on Debian, part of the SDK on macOS).
#ifndef FACTORY_CZLIB_SHIM_H
#define FACTORY_CZLIB_SHIM_H

#include <zlib.h>

/// Starts `stream` for gzip-wrapped DEFLATE data (`inflateInit2` is a macro Swift cannot call).
static inline int factory_inflate_init_gzip(z_streamp stream) { return inflateInit2(stream, 15 + 16); }

#endif
