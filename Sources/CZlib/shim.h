/* zlib's inflate (Debian: zlib1g-dev, pkg-config zlib). BoxImages decodes
 * gzip layers and archives with it (Gzip.swift). */
#include <zlib.h>
