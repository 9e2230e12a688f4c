#include "report/plots.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "runtime/user_error.h"

namespace robustlab {
namespace {

// gnuplot reading `script` on its standard input, its messages (warnings such as "empty x2 range")
// written to `log_path` rather than the user's terminal; the log's first line is the error when
// gnuplot fails, and the log is removed either way.
void run_gnuplot(const std::string& script, const std::string& log_path) {
  int input[2];
  if (pipe(input) != 0) throw UserError("cannot start gnuplot: no pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO);
  posix_spawn_file_actions_addclose(&actions, input[1]);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  char name[] = "gnuplot";
  char* argv[] = {name, nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(input[0]);
  if (spawned != 0) {
    close(input[1]);
    throw UserError("cannot start gnuplot");
  }
  // A gnuplot that dies before reading everything must not take robustlab with it (SIGPIPE).
  struct sigaction ignore {}, previous {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);
  for (size_t written = 0; written < script.size();) {
    const ssize_t n = write(input[1], script.data() + written, script.size() - written);
    if (n <= 0) break;  // gnuplot stopped reading: its exit status says why
    written += static_cast<size_t>(n);
  }
  close(input[1]);
  sigaction(SIGPIPE, &previous, nullptr);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string first_line;
  std::getline(std::ifstream(log_path) >> std::ws, first_line);
  std::filesystem::remove(log_path);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw UserError("gnuplot failed drawing a plot (exit " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                    (first_line.empty() ? ")" : "): " + first_line));
}

// The same drawing commands, once per output format.
std::string for_each_format(const std::string& path_stem, const std::string& size, const std::string& body) {
  return "set terminal pngcairo size " + size + " font ',10'\nset output '" + path_stem + ".png'\n" + body +
         "set terminal svg size " + size + " font ',10'\nset output '" + path_stem + ".svg'\n" + body +
         "unset output\n";
}

std::string gp_quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

std::string cell_text(const Cell& c) {
  std::ostringstream s;
  s.precision(10);
  std::visit([&](const auto& v) { s << v; }, c);
  return s.str();
}

bool row_selected(const Table& t, size_t row, const Figure& f) {
  for (const auto& [column, wanted] : f.where)
    if (cell_text(t.rows[row][t.index(column)]) != wanted) return false;
  return true;
}

std::string joined(const Table& t, size_t row, const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : " ") + cell_text(t.rows[row][t.index(c)]);
  return out;
}

// Lines: one per distinct value of the series columns (and of top_axis_by); a second value of
// top_axis_by draws on a top x axis with dashed lines. Over seeds (a `y_sd` column) each line has a
// band of ±1 sd.
std::string lines_script(const Figure& f, const Table& t) {
  const bool bands = t.has(f.y + "_sd");
  struct Line {
    std::string label, axis;
    std::vector<std::array<double, 2>> points;
    std::vector<double> sd;
  };
  std::vector<Line> lines;
  std::vector<std::string> axes, labels;  // first-appearance order
  for (size_t r = 0; r < t.rows.size(); ++r) {
    if (!row_selected(t, r, f)) continue;
    const std::string label = joined(t, r, f.series);
    const std::string axis = f.top_axis_by.empty() ? "" : cell_text(t.rows[r][t.index(f.top_axis_by)]);
    if (std::find(axes.begin(), axes.end(), axis) == axes.end()) axes.push_back(axis);
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    auto it = std::find_if(lines.begin(), lines.end(), [&](const Line& l) { return l.label == label && l.axis == axis; });
    if (it == lines.end()) it = lines.insert(lines.end(), Line{label, axis, {}, {}});
    it->points.push_back({t.number(r, f.x), t.number(r, f.y)});
    if (bands) it->sd.push_back(t.number(r, f.y + "_sd"));
  }
  std::string script, plot;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    const bool top = !axes.empty() && line.axis != axes[0];
    if (top && std::find(axes.begin(), axes.begin() + 2, line.axis) == axes.begin() + 2) continue;  // two axes at most
    std::ostringstream data;
    data.precision(10);
    for (size_t p = 0; p < line.points.size(); ++p) {
      data << line.points[p][0] << ' ' << line.points[p][1];
      if (bands) data << ' ' << line.points[p][1] - line.sd[p] << ' ' << line.points[p][1] + line.sd[p];
      data << '\n';
    }
    const std::string block = "$line" + std::to_string(i);
    script += block + " << EOD\n" + data.str() + "EOD\n";
    const size_t colour = 1 + static_cast<size_t>(std::find(labels.begin(), labels.end(), line.label) - labels.begin());
    const std::string axis = top ? " axes x2y1" : "";
    const std::string title = line.label + (axes.size() > 1 ? " (" + line.axis + ")" : "");
    if (bands)
      plot += (plot.empty() ? "" : ", ") + block + " using 1:3:4" + axis + " with filledcurves fs transparent solid 0.2 noborder lc " +
              std::to_string(colour) + " notitle";
    plot += (plot.empty() ? "" : ", ") + block + " using 1:2" + axis + " with linespoints lw 2 pt 7 ps 0.6 dt " +
            (top ? "2" : "1") + " lc " + std::to_string(colour) + " title " + gp_quoted(title);
  }
  if (plot.empty()) plot = "NaN notitle";
  for (const auto& ref : f.references) {
    script += "set arrow from " + number(ref.x) + ", graph 0 to " + number(ref.x) + ", graph 1 nohead dt 2 lc 'gray40'\n";
    script += "set label " + gp_quoted(ref.label) + " at " + number(ref.x) + ", graph 0.95 offset 0.5,0 tc 'gray40'\n";
  }
  const std::string bottom = axes.empty() || axes[0].empty() ? f.xlabel : f.xlabel + " (" + axes[0] + ")";
  if (axes.size() > 1) script += "set x2tics\nset xtics nomirror\nset x2label " + gp_quoted(f.xlabel + " (" + axes[1] + ")") + "\n";
  if (f.log_x) script += "set logscale x\n";
  if (f.log_y) script += "set logscale y\n";
  if (f.ymin || f.ymax)
    script += "set yrange [" + (f.ymin ? number(*f.ymin) : "") + ":" + (f.ymax ? number(*f.ymax) : "") + "]\n";
  if (!f.legend.empty()) script += "set key " + f.legend + "\n";
  script += "set title " + gp_quoted(f.title) + "\nset xlabel " + gp_quoted(bottom) + "\nset ylabel " + gp_quoted(f.ylabel) +
            "\nset grid\n";
  return script + for_each_format("PATH", "800,500", "plot " + plot + "\n");
}

// Bars: one group per distinct x, one bar per distinct series value, error bars over seeds.
std::string bars_script(const Figure& f, const Table& t) {
  const bool errors = t.has(f.y + "_sd");
  std::vector<std::string> xs, labels;
  std::map<std::pair<std::string, std::string>, std::pair<double, double>> values;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    if (!row_selected(t, r, f)) continue;
    const std::string x = cell_text(t.rows[r][t.index(f.x)]), label = joined(t, r, f.series);
    if (std::find(xs.begin(), xs.end(), x) == xs.end()) xs.push_back(x);
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    values[{x, label}] = {t.number(r, f.y), errors ? t.number(r, f.y + "_sd") : 0.0};
  }
  std::ostringstream data;
  data.precision(10);
  for (const auto& x : xs) {
    data << gp_quoted(x);
    for (const auto& label : labels) {
      const auto it = values.find({x, label});
      data << ' ' << (it == values.end() ? NAN : it->second.first) << ' ' << (it == values.end() ? 0 : it->second.second);
    }
    data << '\n';
  }
  std::string plot;
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string y = std::to_string(2 + 2 * i), e = std::to_string(3 + 2 * i);
    plot += (i ? ", " : "") + std::string("$bars using ") + y + (errors ? ":" + e : "") + (i ? "" : ":xtic(1)") +
            " title " + gp_quoted(labels[i].empty() ? f.y : labels[i]);
  }
  std::string script = "$bars << EOD\n" + data.str() + "EOD\n";
  script += std::string("set style data histograms\nset style histogram ") +
            (errors ? "errorbars gap 1 lw 1\n" : "clustered gap 1\n") +
            "set style fill solid 0.7 border -1\nset xtics rotate by 30 right\n";
  if (f.log_y) script += "set logscale y\n";
  if (f.ymin || f.ymax)
    script += "set yrange [" + (f.ymin ? number(*f.ymin) : "") + ":" + (f.ymax ? number(*f.ymax) : "") + "]\n";
  script += "set title " + gp_quoted(f.title) + "\nset ylabel " + gp_quoted(f.ylabel) + "\nset grid ytics\n";
  return script + for_each_format("PATH", "800,500", "plot " + plot + "\n");
}

// Heatmap: rows of the table top to bottom, its number columns left to right.
std::string heatmap_script(const Figure& f, const Table& t) {
  std::vector<size_t> cells;
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i].type != ColumnType::Text && t.columns[i].role != ColumnRole::Seed &&
        t.columns[i].name.find("_sd") == std::string::npos && t.columns[i].name.find("_min") == std::string::npos &&
        t.columns[i].name.find("_max") == std::string::npos)
      cells.push_back(i);
  std::ostringstream data, tics;
  data.precision(6);
  for (size_t r = 0; r < t.rows.size(); ++r)
    for (size_t j = 0; j < cells.size(); ++j) data << j << ' ' << r << ' ' << t.number(r, t.columns[cells[j]].name) << '\n';
  tics << "set xtics (";
  for (size_t j = 0; j < cells.size(); ++j) tics << (j ? ", " : "") << gp_quoted(t.columns[cells[j]].name) << ' ' << j;
  tics << ") rotate by 45 right\nset ytics (";
  for (size_t r = 0; r < t.rows.size(); ++r) tics << (r ? ", " : "") << gp_quoted(t.text(r, f.row_label)) << ' ' << r;
  tics << ")\n";
  std::string body = "plot $cells using 1:2:3 with image notitle";
  if (f.print_values) body += ", $cells using 1:2:(sprintf('%.2f',$3)) with labels font ',8' notitle";
  const std::string script = "$cells << EOD\n" + data.str() + "EOD\n" + tics.str() + "set title " + gp_quoted(f.title) +
                             "\nset palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')\nset cbrange [" +
                             number(f.zmin) + ":" + number(f.zmax) + "]\nset xlabel " + gp_quoted(f.xlabel) +
                             "\nset ylabel " + gp_quoted(f.ylabel) + "\nset yrange [] reverse\nset size ratio -1\n";
  return script + for_each_format("PATH", "800,600", body + "\n");
}

// Images: a grid of grey pictures, each scaled to its own range.
std::string images_script(const Figure& f, const Table& t) {
  std::vector<std::string> names;
  std::map<std::string, std::ostringstream> data;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const std::string name = cell_text(t.rows[r][t.index(f.image)]);
    if (!data.count(name)) names.push_back(name);
    data[name] << t.number(r, f.pixel_col) << ' ' << t.number(r, f.pixel_row) << ' ' << t.number(r, f.value) << '\n';
  }
  const size_t n = std::max<size_t>(names.size(), 1);
  const size_t columns = static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(n))));
  const size_t rows = (n + columns - 1) / columns;
  std::string script;
  for (size_t i = 0; i < names.size(); ++i) script += "$img" + std::to_string(i) + " << EOD\n" + data[names[i]].str() + "EOD\n";
  std::string body = "set multiplot layout " + std::to_string(rows) + "," + std::to_string(columns) + " title " +
                     gp_quoted(f.title) + "\n";
  for (size_t i = 0; i < names.size(); ++i)
    body += "set title " + gp_quoted(names[i]) + "\nplot $img" + std::to_string(i) + " using 1:2:3 with image notitle\n";
  body += "unset multiplot\n";
  script += "set palette grey\nunset colorbox\nunset xtics\nunset ytics\nset yrange [] reverse\nset size ratio -1\n";
  const std::string size = std::to_string(200 * columns) + "," + std::to_string(200 * rows + 40);
  return script + for_each_format("PATH", size, body);
}

}  // namespace

bool gnuplot_available() { return std::system("command -v gnuplot >/dev/null 2>&1") == 0; }

void draw_figure(const Figure& figure, const Table& table, const std::string& path_stem) {
  std::string script;
  switch (figure.kind) {
    case Figure::Kind::Lines: script = lines_script(figure, table); break;
    case Figure::Kind::Bars: script = bars_script(figure, table); break;
    case Figure::Kind::Heatmap: script = heatmap_script(figure, table); break;
    case Figure::Kind::Images: script = images_script(figure, table); break;
  }
  // Each script names its output 'PATH'; the path goes in here, quoted for gnuplot ('' is ').
  std::string escaped;
  for (char c : path_stem) escaped += c == '\'' ? std::string("''") : std::string(1, c);
  for (size_t at = script.find("'PATH"); at != std::string::npos; at = script.find("'PATH", at + 1 + escaped.size()))
    script.replace(at + 1, 4, escaped);
  run_gnuplot(script, path_stem + ".gnuplot.log");
  // gnuplot can exit 0 having drawn nothing (a missing terminal, a full disk).
  for (const char* extension : {".png", ".svg"}) {
    std::error_code ec;
    if (std::filesystem::file_size(path_stem + extension, ec) == 0 || ec)
      throw UserError("gnuplot drew nothing for " + figure.name + extension);
  }
}

}  // namespace robustlab
