// Content-hashed inputs (docs/EXTERNAL.md, "Content-hashed inputs"): the
// user files a dataset or an external method reads enter cell keys by the
// hash of their contents, not by their paths, so a changed file reruns
// exactly the cells that read it and a moved unchanged one reruns none.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/core/external.h"
#include "harness/core/params.h"
#include "harness/core/registry.h"

namespace sb {

// A dataset tagged `input-path:<param>` reads the file or folder its
// parameter <param> names: its content, not its path, enters the cell key.
inline constexpr const char* kInputPathTagPrefix = "input-path:";

// The content hash of a file, or of a folder's regular files (names and
// contents, by name; not recursive), as 32 hex digits. Computed once per
// process for a file of unchanged size and modification time. Throws
// InputError when the path cannot be read.
std::string content_hash(const std::string& path);

// The size in bytes of a file, or of a folder's regular files (as
// content_hash reads them); -1 when the path cannot be read.
std::int64_t content_size(const std::string& path);

// The dataset's parameters as its cells' keys hash them: each input path
// (its `input-path:` tags) replaced by "content:<hash>"; "" when it reads no
// file. `inputs` collects (absolute path, hash).
std::string dataset_key_json(const ComponentInfo& info, const ParamSet& params,
                             std::map<std::string, std::string>& inputs);

// An external method's version as its cells' keys hash it: `version` +
// "+content:<hash>" of its script (each argument after the program naming an
// existing file in its working folder) and its listed `files`; "" when it
// reads none (or is not external).
std::string method_key_version(const std::string& version, const ExternalMethod* external,
                               const std::vector<std::string>& listed, std::map<std::string, std::string>& inputs);

}  // namespace sb
