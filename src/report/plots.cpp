#include "report/plots.h"

#include <cstdio>
#include <cstdlib>

#include "runtime/user_error.h"

namespace robustlab {
namespace {

void run_gnuplot(const std::string& script) {
  FILE* pipe = popen("gnuplot 2>&1", "w");
  if (!pipe) throw UserError("cannot start gnuplot");
  std::fwrite(script.data(), 1, script.size(), pipe);
  const int status = pclose(pipe);
  if (status != 0) throw std::runtime_error("gnuplot failed drawing a plot (exit " + std::to_string(status) + ")");
}

// The same drawing commands, once per output format.
std::string for_each_format(const std::string& path_stem, const std::string& size,
                            const std::string& body) {
  return "set terminal pngcairo size " + size + " font ',10'\nset output '" + path_stem +
         ".png'\n" + body + "set terminal svg size " + size + " font ',10'\nset output '" +
         path_stem + ".svg'\n" + body + "unset output\n";
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

}  // namespace

bool gnuplot_available() { return std::system("command -v gnuplot >/dev/null 2>&1") == 0; }

void plot_cosine_heatmap(const CosineMatrix& m, const std::string& path_stem) {
  std::ostringstream data;
  const auto v = m.values.accessor<double, 2>();
  for (int64_t r = 0; r < m.values.size(0); ++r)
    for (int64_t j = 0; j < m.values.size(1); ++j) data << j << ' ' << r << ' ' << v[r][j] << '\n';
  data << "EOD\n";

  std::ostringstream tics;
  tics << "set xtics (";
  for (size_t j = 0; j < m.feature_names.size(); ++j) tics << (j ? ", " : "") << quoted(m.feature_names[j]) << ' ' << j;
  tics << ") rotate by 45 right\nset ytics (";
  for (size_t r = 0; r < m.unit_names.size(); ++r) tics << (r ? ", " : "") << quoted(m.unit_names[r]) << ' ' << r;
  tics << ")\n";
  const std::string body = "plot $cos using 1:2:3 with image notitle, "
                           "$cos using 1:2:(sprintf('%.2f',$3)) with labels font ',8' notitle\n";
  std::string script = "$cos << EOD\n" + data.str() + tics.str() +
                       "set title " + quoted("cosine of hidden units with centres: " + m.model) + "\n"
                       "set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')\n"
                       "set cbrange [-1:1]\nset xlabel 'feature'\nset ylabel 'hidden unit'\n"
                       "set yrange [] reverse\nset size ratio -1\n";
  run_gnuplot(script + for_each_format(path_stem, "800,600", body));
}

// Worst-case curves of every model; the study's main norm on the bottom axis, another norm (if
// the study attacked with one) on the top axis with dashed lines, since their ε scales differ.
void plot_robust_accuracy(const StudyResult& result, const std::string& path_stem) {
  std::vector<std::string> norms{result.norm};
  for (const auto& p : result.robust_accuracy)
    if (std::find(norms.begin(), norms.end(), p.norm) == norms.end()) norms.push_back(p.norm);
  std::string script, plot = "plot ";
  int series = 0;
  for (size_t axis = 0; axis < std::min<size_t>(norms.size(), 2); ++axis)
    for (const auto& model : result.models) {
      std::ostringstream data;
      for (const auto& p : result.robust_accuracy)
        if (p.model == model.name && p.attack == "worst" && p.norm == norms[axis])
          data << p.eps << ' ' << p.accuracy << '\n';
      const std::string name = "$m" + std::to_string(series);
      script += name + " << EOD\n" + data.str() + "EOD\n";
      plot += std::string(series ? ", " : "") + name + " using 1:2" + (axis ? " axes x2y1" : "") +
              " with linespoints lw 2 pt 7 ps 0.6 dt " + (axis ? "2" : "1") + " lc " +
              std::to_string(1 + series % static_cast<int>(result.models.size())) + " title " +
              quoted(model.name + (norms.size() > 1 ? " (" + norms[axis] + ")" : ""));
      ++series;
    }
  for (const auto& [label, eps] : result.reference_scales) {
    script += "set arrow from " + std::to_string(eps) + ", graph 0 to " + std::to_string(eps) +
              ", graph 1 nohead dt 2 lc 'gray40'\n";
    script += "set label " + quoted(label) + " at " + std::to_string(eps) +
              ", graph 0.95 offset 0.5,0 tc 'gray40'\n";
  }
  if (norms.size() > 1) script += "set x2tics\nset xtics nomirror\nset x2label 'eps (" + norms[1] + ")'\n";
  std::string all_norms = norms[0];
  if (norms.size() > 1) all_norms += ", " + norms[1];
  script += "set title " + quoted(result.study + ": worst-case robust accuracy (" + all_norms + ")") +
            "\nset xlabel 'eps (" + result.norm + ")'\nset ylabel 'robust accuracy'\n"
            "set yrange [0:1.05]\nset grid\nset key bottom left\n";
  run_gnuplot(script + for_each_format(path_stem, "800,500", plot + "\n"));
}

}  // namespace robustlab
