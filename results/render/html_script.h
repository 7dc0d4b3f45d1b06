// The report's inline script and style (results/render/html_script.cpp):
// sortable and filterable tables, figures fitted to their drawing, and a
// self-check that marks clipped text (docs/ARCHITECTURE.md, "HTML report").
#pragma once

namespace sb {

// CSS for the whole page.
extern const char* const kReportStyle;
// Vanilla JavaScript run on load, no network, no library.
extern const char* const kReportScript;

}  // namespace sb
