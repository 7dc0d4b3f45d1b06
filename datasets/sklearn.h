// The scikit-learn example datasets as Debian's python3-sklearn ships them
// (sklearn/datasets/data/): the same data OpenDataVal and pyDVL load, read as
// plain files (no Python at run time).
//   iris, wine, breast-cancer: CSV, first line "n,d,classname...", label last
//   digits: gzipped CSV without a header, 64 pixels then the label
//   diabetes: gzipped whitespace-separated features + a separate target file
#pragma once

#include <string>
#include <vector>

#include "datasets/table.h"

namespace sb::data {

// Where the files are: `dir` when non-empty, else $SB_SKLEARN_DATA_DIR when
// set and non-empty, else Debian's /usr/lib/python3/dist-packages/sklearn/datasets/data.
std::string sklearn_data_dir(const std::string& dir = "");

// "iris", "wine", "breast-cancer", "digits", "diabetes".
const std::vector<std::string>& sklearn_dataset_names();

// What the suites register the tables with (one template class per table,
// so the names are arrays with linkage), and the `data_dir` parameter's doc.
namespace sklearn_table {
inline constexpr char kIris[] = "iris";
inline constexpr char kWine[] = "wine";
inline constexpr char kBreastCancer[] = "breast-cancer";
inline constexpr char kDigits[] = "digits";
inline constexpr char kDiabetes[] = "diabetes";
inline constexpr const char* kIrisDescription = "Fisher's iris: 150 rows, 4 features, 3 classes (scikit-learn)";
inline constexpr const char* kWineDescription = "UCI wine: 178 rows, 13 features, 3 classes (scikit-learn)";
inline constexpr const char* kBreastCancerDescription =
    "Wisconsin breast cancer: 569 rows, 30 features, 2 classes (scikit-learn)";
inline constexpr const char* kDigitsDescription =
    "UCI optical digits 8x8: 1797 rows, 64 features, 10 classes (scikit-learn)";
inline constexpr const char* kDataDirDoc =
    "folder of the scikit-learn data files; empty: $SB_SKLEARN_DATA_DIR, else Debian's "
    "/usr/lib/python3/dist-packages/sklearn/datasets/data";
}  // namespace sklearn_table

// Loads `name` from sklearn_data_dir(dir). Checks the row and column counts
// against the header (or the known shape where there is none), that every
// field is a finite number and labels are in range. Throws sb::InputError
// naming the file and line.
Table load_sklearn(const std::string& name, const std::string& dir = "");

// The files load_sklearn(name, dir) reads (content-hashed into cell keys).
// Throws InputError for an unknown name.
std::vector<std::string> sklearn_files(const std::string& name, const std::string& dir = "");

// Parses the headed CSV format (exposed for tests): `path` names the source in messages.
Table parse_headed_csv(const std::string& text, const std::string& path);

}  // namespace sb::data
