#include "report/markdown.h"

#include <iomanip>

namespace robustlab {

std::string report_markdown(const StudyResult& r, const RuntimeEnvironment& env, double seconds,
                            bool with_plots) {
  std::ostringstream md;
  md << std::fixed << std::setprecision(3);
  md << "# " << r.study << " (seed " << r.seed << ")\n\n" << r.explanation << "\n\n";
  md << "## Models\n\n| model | clean accuracy | critical radius (" << r.norm << ") |\n|---|---|---|\n";
  for (const auto& m : r.models) {
    md << "| " << m.name << " | " << m.clean_accuracy << " | ";
    if (m.critical_radius) md << std::setprecision(1) << *m.critical_radius << std::setprecision(3);
    else md << "not reached on the grid";
    md << " |\n";
  }
  if (!r.reference_scales.empty()) {
    md << "\nTheory's scales:";
    for (const auto& [name, value] : r.reference_scales) md << " " << name << " = " << std::setprecision(1) << value << ";";
    md << std::setprecision(3) << "\n";
  }
  md << "\nThe critical radius is the smallest eps on the grid at which the worst-case robust "
        "accuracy over the attacks run falls below 0.5 (robust_accuracy.csv holds every point).\n";
  md << "\n## Claims\n\n| claim | expected | measured | result |\n|---|---|---|---|\n";
  for (const auto& c : r.claims)
    md << "| " << c.name << " | " << c.expected << " | " << c.measured << " | " << (c.pass ? "PASS" : "**FAIL**") << " |\n";
  if (!r.warnings.empty()) {
    md << "\n## Warnings\n\n";
    for (const auto& w : r.warnings) md << "- " << w << "\n";
  }
  md << "\n" << (r.all_claims_pass() ? "All claims hold." : "**Some claims do not hold.**") << "\n";
  if (with_plots) {
    md << "\n## Plots\n\n![robust accuracy](robust_accuracy.png)\n\n";
    for (const auto& c : r.cosines)
      md << "![cosines of " << c.model << "](cosine_" << c.model << ".png)\n\n";
  } else {
    md << "\n(gnuplot was not found: no plots were drawn.)\n";
  }
  md << "\n## Run\n\n" << one_line(env) << "; " << std::setprecision(1) << seconds
     << " s. The resolved config is in config.toml; `robustlab run config.toml` reproduces it.\n";
  return md.str();
}

}  // namespace robustlab
