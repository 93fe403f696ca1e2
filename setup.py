"""pip install . : builds archml's Python package with the project's CMake (docs/python.md).

Offline by design: no pyproject.toml, so pip builds with the setuptools of the
environment it runs in (a venv made with --system-site-packages sees Debian's) and
fetches nothing. The compiled module _archml is built by CMake in build-pip/ (ccache
makes it cheap after a normal build) for the interpreter running pip, and copied into
the wheel beside python/archml/*.py.
"""
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    def build_extension(self, extension):
        build = os.environ.get("ARCHML_PIP_BUILD_DIR", os.path.join(ROOT, "build-pip"))
        subprocess.check_call([
            "cmake", "-S", ROOT, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
            "-DBUILD_TESTING=OFF", "-DARCHML_PYTHON=ON", f"-DPython3_EXECUTABLE={sys.executable}",
        ])
        subprocess.check_call(["cmake", "--build", build, "--target", "archml_python"])
        built = os.path.join(build, "python", "archml")
        module = next(name for name in os.listdir(built)
                      if name.startswith("_archml") and name.endswith(".so"))
        target = self.get_ext_fullpath(extension.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(built, module), target)


def version():
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as file:
        for line in file:
            if line.startswith("project(archml VERSION"):
                return line.split()[2]
    raise RuntimeError("no version in CMakeLists.txt")


setup(
    name="archml",
    version=version(),
    description="archml from Python: read, profile, train, predict and track runs",
    packages=["archml"],
    package_dir={"": "python"},
    ext_modules=[Extension("archml._archml", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    # setuptools' own staging stays beside CMake's, out of the project's build/.
    options={"build": {"build_base": os.path.join("build-pip", "setuptools")}},
    python_requires=">=3.9",
    install_requires=["numpy", "pandas"],
    zip_safe=False,
)
