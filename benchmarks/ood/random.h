// The ood generators' random draws: the shared portable ones of datasets/.
#pragma once

#include "datasets/random.h"

namespace sb::ood {
using data::shuffle_in_place;
using data::standard_normal;
using data::uniform01;
using data::uniform_index;
}  // namespace sb::ood
