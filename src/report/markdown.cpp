#include "report/markdown.h"

#include <iomanip>
#include <algorithm>
#include <sstream>

namespace robustlab {
namespace {

std::string metric(const ModelSummary& m, const std::string& key) {
  for (const auto& [k, v] : m.metrics)
    if (k == key) {
      std::ostringstream s;
      s << std::fixed << std::setprecision(3) << " ± " << v;
      return s.str();
    }
  return "";
}

std::string seeds_text(const std::vector<uint64_t>& seeds) {
  return std::to_string(seeds.front()) + "-" + std::to_string(seeds.back());
}

void markdown_table(std::ostringstream& md, const Table& t) {
  if (!t.caption.empty()) md << t.caption << "\n\n";
  md << "|";
  for (const auto& c : t.columns) md << " " << c.name << " |";
  md << "\n|";
  for (size_t i = 0; i < t.columns.size(); ++i) md << "---|";
  md << "\n";
  for (const auto& row : t.rows) {
    md << "|";
    for (const auto& cell : row) {
      md << " ";
      std::visit([&](const auto& v) { md << v; }, cell);
      md << " |";
    }
    md << "\n";
  }
  md << "\n";
}

}  // namespace

std::string report_markdown(const StudyResult& r, const RuntimeEnvironment& env, double seconds,
                            const FiguresDrawn* figures) {
  const bool seeds = !r.seeds.empty();
  std::ostringstream md;
  md << std::fixed << std::setprecision(3);
  md << "# " << r.study << " (" << (seeds ? "seeds " + seeds_text(r.seeds) : "seed " + std::to_string(r.seed))
     << ")\n\n"
     << r.explanation << "\n\n";
  if (seeds)
    md << "Every number below is the mean over " << r.seeds.size()
       << " seeds (± their standard deviation); each seed's own results are in seed-N/.\n\n";
  if (!r.models.empty()) {
    md << "## Models\n\n| model | clean accuracy | critical radius (" << r.norm << ") |\n|---|---|---|\n";
    for (const auto& m : r.models) {
      md << "| " << m.name << " | " << m.clean_accuracy << metric(m, "clean_accuracy_sd") << " | ";
      if (m.critical_radius)
        md << std::setprecision(1) << *m.critical_radius << metric(m, "critical_radius_sd") << std::setprecision(3);
      else
        md << "not reached on the grid";
      md << " |\n";
    }
    if (!r.scales.empty()) {
      md << "\nTheory's scales:";
      for (const auto& [name, value] : r.scales) md << " " << name << " = " << std::setprecision(1) << value << ";";
      md << std::setprecision(3) << "\n";
    }
    md << "\nThe critical radius is the smallest eps on the grid at which the worst-case robust "
          "accuracy over the attacks run falls below 0.5 (robust_accuracy.csv holds every point).\n";
  }
  md << "\n## Claims\n\n| claim | expected | measured | result |\n|---|---|---|---|\n";
  for (const auto& c : r.claims)
    md << "| " << c.name << " | " << c.expected << " | " << c.measured << " | " << (c.pass ? "PASS" : "**FAIL**")
       << " |\n";
  if (!r.warnings.empty()) {
    md << "\n## Warnings\n\n";
    for (const auto& w : r.warnings) md << "- " << w.text << "\n";
  }
  md << "\n" << (r.all_claims_pass() ? "All claims hold" : "**Some claims do not hold**")
     << (seeds ? " (every claim is checked on every seed)." : ".") << "\n";
  bool any_table = false;
  for (const auto& t : r.tables)
    if (t.in_report) {
      if (!any_table) md << "\n## Tables\n\n";
      any_table = true;
      markdown_table(md, t);
    }
  if (!r.figures.empty()) {
    if (figures) {
      md << "\n## Plots\n\n";
      for (const auto& f : r.figures)
        if (std::find(figures->drawn.begin(), figures->drawn.end(), f.name) != figures->drawn.end())
          md << "![" << f.title << "](" << f.name << ".png)\n\n";
      for (const auto& failure : figures->failed) md << "(figure not drawn: " << failure << ")\n\n";
    } else {
      md << "\n(gnuplot was not found: no plots were drawn.)\n";
    }
  }
  md << "\n## Run\n\n" << one_line(env) << "; " << std::setprecision(1) << seconds
     << " s. The resolved config is in config.toml; `robustlab run config.toml` reproduces it.\n";
  return md.str();
}

}  // namespace robustlab
