#!/usr/bin/python3
"""Standard optimisation test functions for benchmarking `archml tune` (bench/optimiser.sh).

Prints "objective: VALUE" (lower is better for every function):
  functions.py branin --x1 X --x2 Y          x1 in [-5, 10], x2 in [0, 15]; min 0.397887
  functions.py hartmann6 --x1 .. --x6 V      each in [0, 1]; min -3.32237
  functions.py rosenbrock5 --x1 .. --x5 V    each in [-2, 2]; min 0
"""
import argparse
import math
import sys


def branin(x):
    x1, x2 = x
    a, b, c = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi
    r, s, t = 6.0, 10.0, 1 / (8 * math.pi)
    return a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * math.cos(x1) + s


HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
              [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
              [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
              [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
              [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(x):
    total = 0.0
    for i in range(4):
        inner = sum(HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j]) ** 2 for j in range(6))
        total -= HARTMANN_ALPHA[i] * math.exp(-inner)
    return total


def rosenbrock5(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(4))


FUNCTIONS = {"branin": (branin, 2), "hartmann6": (hartmann6, 6), "rosenbrock5": (rosenbrock5, 5)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("function", choices=sorted(FUNCTIONS))
    for i in range(1, 7):
        parser.add_argument(f"--x{i}", type=float)
    args = parser.parse_args()
    function, dimensions = FUNCTIONS[args.function]
    x = [getattr(args, f"x{i}") for i in range(1, dimensions + 1)]
    if any(v is None for v in x):
        sys.exit(f"{args.function} needs --x1 .. --x{dimensions}")
    print(f"objective: {function(x):.10g}")


if __name__ == "__main__":
    main()
