// A feature-averaging config small enough for tests (d = 512, 40 points per cluster, ~2 s) whose
// theory scales are sqrt(d/k) = 7.2 and sqrt(d/2) = 16.
#pragma once
#include <string>
#include <vector>

inline std::vector<std::string> small_feature_averaging() {
  return {"data.d=512", "data.train_per_cluster=40", "data.test_per_cluster=40",
          "attack.eps=1:30:1",
          "adversarial.eps=10", "adversarial.alpha=2.5"};
}
