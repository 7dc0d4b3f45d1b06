// The ood suite's names for the shared .npy reader/writer (datasets/npy.h).
#pragma once

#include "datasets/npy.h"

namespace sb::ood {
using data::NpyArray;
using data::NpyHeader;
using data::read_npy;
using data::read_npy_header;
using data::read_npy_labels;
using data::read_npy_matrix;
using data::write_npy;
using data::write_npy_int32;
}  // namespace sb::ood
