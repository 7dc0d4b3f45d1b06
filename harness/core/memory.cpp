#include "harness/core/memory.h"

#include <malloc.h>

namespace sb {

void keep_freed_memory() {
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

}  // namespace sb
