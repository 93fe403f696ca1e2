// Expected improvement of a Gaussian prediction below the best loss so far:
// E[max(best - xi - Y, 0)] for Y ~ N(mean, stddev²). Zero spread gives the plain
// improvement; more spread or a lower mean never gives less (the properties tests check).
#pragma once

namespace archml::tune {

// `xi` >= 0 trades exploitation for exploration.
double expected_improvement(double mean, double stddev, double best, double xi = 0.0);

}  // namespace archml::tune
