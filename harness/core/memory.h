// Process-wide allocator settings for processes that run cells.
#pragma once

namespace sb {

// Cells allocate and free the same working sets over and over. By default
// glibc returns free memory at the top of the heap to the kernel once it
// exceeds 128 KiB, so the next cell page-faults it back in: 13% of an
// n = 1000 Kang-Schafer replication (docs/PERFORMANCE.md). Up to 256 MiB of
// free heap is kept instead. Setting the trim threshold freezes glibc's
// adaptive mmap threshold, so that is set to its adaptive maximum (32 MiB).
// Called once by `shardbench run` on every rank (its executor children
// inherit the settings through fork) and by estimator_bench.
void keep_freed_memory();

}  // namespace sb
