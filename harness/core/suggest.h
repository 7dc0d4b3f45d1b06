// "Did you mean ...?" for a mistyped name (a config key, a parameter, a
// dataset or method, a suite, an option): the messages already list the
// valid names, but a list of 25 estimators hides the one that was meant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sb {

// Optimal-string-alignment distance (insertions, deletions, substitutions
// and transpositions of adjacent characters, each 1), ASCII case ignored.
std::size_t edit_distance(std::string_view a, std::string_view b);

// ", did you mean 'x'?" naming the candidate closest to `given`, or "" when
// none is close. Close, for names of 3+ characters: within max(1, |given| /
// 3) edits (a typo), or one containing the other ("sklearn-digits" ->
// "digits"); for any name, a difference of case only. Ties go to the
// earlier candidate.
std::string did_you_mean(std::string_view given, const std::vector<std::string>& candidates);

}  // namespace sb
